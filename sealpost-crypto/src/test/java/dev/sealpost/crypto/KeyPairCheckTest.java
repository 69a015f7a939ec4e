package dev.sealpost.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class KeyPairCheckTest {
    private static final Identity ALICE = TestIdentities.alice(Suite.RSA);
    private static final Identity BOB = TestIdentities.bob(Suite.RSA);

    @Test
    void rsa_ownKeyMatches_othersDoNot() throws Exception {
        assertTrue(KeyPairCheck.matches(ALICE.signingKey(), ALICE.signingCertificate().getPublicKey()));
        assertTrue(KeyPairCheck.matches(ALICE.encryptionKey(), ALICE.encryptionCertificate().getPublicKey()));
        assertFalse(KeyPairCheck.matches(ALICE.signingKey(), ALICE.encryptionCertificate().getPublicKey()));
        assertFalse(KeyPairCheck.matches(BOB.signingKey(), ALICE.signingCertificate().getPublicKey()));
    }

    @Test
    void rsa_inconsistentCrtComponents_refused() throws Exception {
        RSAPrivateCrtKey k = (RSAPrivateCrtKey) ALICE.signingKey();
        var pub = ALICE.signingCertificate().getPublicKey();
        assertTrue(KeyPairCheck.matches(with(k, s -> s), pub), "an unchanged copy matches");
        BigInteger two = BigInteger.TWO;
        assertFalse(KeyPairCheck.matches(with(k, s -> spec(k.getModulus(), k.getPublicExponent(), k.getPrivateExponent().add(two),
                k.getPrimeP(), k.getPrimeQ(), k.getPrimeExponentP(), k.getPrimeExponentQ(), k.getCrtCoefficient())), pub), "d");
        assertFalse(KeyPairCheck.matches(with(k, s -> spec(k.getModulus(), k.getPublicExponent(), k.getPrivateExponent(),
                k.getPrimeP(), k.getPrimeQ(), k.getPrimeExponentP().add(two), k.getPrimeExponentQ(), k.getCrtCoefficient())), pub), "dP");
        assertFalse(KeyPairCheck.matches(with(k, s -> spec(k.getModulus(), k.getPublicExponent(), k.getPrivateExponent(),
                k.getPrimeP(), k.getPrimeQ(), k.getPrimeExponentP(), k.getPrimeExponentQ().add(two), k.getCrtCoefficient())), pub), "dQ");
        assertFalse(KeyPairCheck.matches(with(k, s -> spec(k.getModulus(), k.getPublicExponent(), k.getPrivateExponent(),
                k.getPrimeP(), k.getPrimeQ(), k.getPrimeExponentP(), k.getPrimeExponentQ(), k.getCrtCoefficient().add(BigInteger.ONE))), pub), "qInv");
        assertFalse(KeyPairCheck.matches(with(k, s -> spec(k.getModulus(), k.getPublicExponent(), k.getPrivateExponent(),
                k.getPrimeP().add(two), k.getPrimeQ(), k.getPrimeExponentP(), k.getPrimeExponentQ(), k.getCrtCoefficient())), pub), "p");
    }

    @Test
    void ec_ownKeyMatches_othersDoNot() throws Exception {
        Identity a = TestIdentities.alice(Suite.P256);
        Identity b = TestIdentities.bob(Suite.P256);
        assertTrue(KeyPairCheck.matches(a.signingKey(), a.signingCertificate().getPublicKey()));
        assertFalse(KeyPairCheck.matches(b.signingKey(), a.signingCertificate().getPublicKey()));
    }

    private static RSAPrivateCrtKeySpec spec(BigInteger n, BigInteger e, BigInteger d, BigInteger p, BigInteger q,
                                             BigInteger dp, BigInteger dq, BigInteger qinv) {
        return new RSAPrivateCrtKeySpec(n, e, d, p, q, dp, dq, qinv);
    }

    private static PrivateKey with(RSAPrivateCrtKey k, UnaryOperator<RSAPrivateCrtKeySpec> change) throws Exception {
        RSAPrivateCrtKeySpec same = spec(k.getModulus(), k.getPublicExponent(), k.getPrivateExponent(), k.getPrimeP(),
                k.getPrimeQ(), k.getPrimeExponentP(), k.getPrimeExponentQ(), k.getCrtCoefficient());
        return KeyFactory.getInstance("RSA").generatePrivate(change.apply(same));
    }
}
