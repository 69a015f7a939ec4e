package dev.sealpost.crypto;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;

/**
 * Pairwise consistency test (FIPS 140-3 IG 10.3.A): a private key belongs to a public key if a
 * signature it makes over a random challenge verifies under the public key. Catches a key file
 * that does not match its certificate before any message is sealed with it.
 */
final class KeyPairCheck {
    private KeyPairCheck() {}

    static boolean matches(PrivateKey priv, PublicKey pub) {
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
}
