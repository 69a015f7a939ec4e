package dev.sealpost.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;

/**
 * Checks that a private key belongs to a public key, catching a key file that does not match
 * its certificate before any message is sealed with it.
 *
 * <p>RSA keys in CRT form (every PKCS#8 RSA key, RFC 8017 §A.1.2) are checked arithmetically:
 * same modulus and public exponent, {@code p·q = n}, {@code e·dP ≡ 1 (mod p−1)},
 * {@code e·dQ ≡ 1 (mod q−1)} and {@code qInv·q ≡ 1 (mod p)} (RFC 8017 §3.2). That proves the
 * private key consistent with the certificate's public key in microseconds, where a test
 * signature costs a private-key operation in a JVM that has not compiled its big-number code yet.
 * Other keys get the pairwise consistency test of FIPS 140-3 IG 10.3.A: a signature over a
 * random challenge must verify under the public key.
 */
final class KeyPairCheck {
    private KeyPairCheck() {}

    static boolean matches(PrivateKey priv, PublicKey pub) {
        if (priv instanceof RSAPrivateCrtKey k && pub instanceof RSAPublicKey p) {
            return rsaMatches(k, p);
        }
        try {
            String alg = pub instanceof RSAPublicKey ? "SHA256withRSA" : "SHA256withECDSA";
            byte[] challenge = new byte[32];
            Providers.RANDOM.nextBytes(challenge);
            Signature s = Signature.getInstance(alg, Providers.bc());
            s.initSign(priv, Providers.RANDOM);
            s.update(challenge);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg, Providers.bc());
            v.initVerify(pub);
            v.update(challenge);
            return v.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean rsaMatches(RSAPrivateCrtKey k, RSAPublicKey pub) {
        BigInteger n = pub.getModulus();
        BigInteger e = pub.getPublicExponent();
        BigInteger p = k.getPrimeP();
        BigInteger q = k.getPrimeQ();
        if (!n.equals(k.getModulus()) || !e.equals(k.getPublicExponent()) || p == null || q == null
                || p.signum() <= 0 || q.signum() <= 0 || !p.multiply(q).equals(n)) {
            return false;
        }
        BigInteger p1 = p.subtract(BigInteger.ONE);
        BigInteger q1 = q.subtract(BigInteger.ONE);
        return p1.signum() > 0 && q1.signum() > 0
                && e.multiply(k.getPrimeExponentP()).mod(p1).equals(BigInteger.ONE)
                && e.multiply(k.getPrimeExponentQ()).mod(q1).equals(BigInteger.ONE)
                && k.getCrtCoefficient().multiply(q).mod(p).equals(BigInteger.ONE)
                && e.multiply(k.getPrivateExponent()).mod(p1).equals(BigInteger.ONE)
                && e.multiply(k.getPrivateExponent()).mod(q1).equals(BigInteger.ONE);
    }
}
