package dev.sealpost.crypto;

import java.security.Key;
import java.security.PrivateKey;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientOperator;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipient;

/**
 * Bouncy Castle CMS recipients whose content decryption runs on the JDK's AES-GCM.
 *
 * <p>Bouncy Castle recovers the content-encryption key (RSAES-OAEP unwrapping, or ECDH with the
 * X9.63 KDF and AES key unwrap per RFC 5753) through the protected {@code extractSecretKey}
 * methods of its JCE recipients; the key then goes to a {@link JdkGcmDecryptor}. Bouncy
 * Castle's own AES-GCM is not used: it is some 40 times slower, and its lookup of SunJCE's GCM
 * by OID fails (DESIGN §3).
 */
final class GcmRecipients {
    private GcmRecipients() {}

    /** @return a KeyTransRecipient for an RSA private key */
    static Recipient keyTransport(PrivateKey key) {
        return new KeyTransport(key);
    }

    /** @return a KeyAgreeRecipient for an EC private key */
    static Recipient keyAgreement(PrivateKey key) {
        return new KeyAgreement(key);
    }

    private static final class KeyTransport extends JceKeyTransRecipient {
        KeyTransport(PrivateKey key) {
            super(key);
            setProvider(Providers.sunJce()); // RSAES-OAEP on the JDK: no Bouncy Castle provider to build, no modulus primality test
        }

        @Override
        public RecipientOperator getRecipientOperator(AlgorithmIdentifier keyEncryptionAlgorithm,
                AlgorithmIdentifier contentEncryptionAlgorithm, byte[] encryptedContentKey) throws CMSException {
            Key cek = extractSecretKey(keyEncryptionAlgorithm, contentEncryptionAlgorithm, encryptedContentKey);
            return new RecipientOperator(new JdkGcmDecryptor(contentEncryptionAlgorithm, cek));
        }
    }

    private static final class KeyAgreement extends JceKeyAgreeRecipient {
        KeyAgreement(PrivateKey key) {
            super(key);
            setProvider(Providers.bc());
        }

        @Override
        public RecipientOperator getRecipientOperator(AlgorithmIdentifier keyEncryptionAlgorithm,
                AlgorithmIdentifier contentEncryptionAlgorithm, SubjectPublicKeyInfo senderPublicKey,
                ASN1OctetString userKeyingMaterial, byte[] encryptedContentKey) throws CMSException {
            Key cek = extractSecretKey(keyEncryptionAlgorithm, contentEncryptionAlgorithm, senderPublicKey,
                    userKeyingMaterial, encryptedContentKey);
            return new RecipientOperator(new JdkGcmDecryptor(contentEncryptionAlgorithm, cek));
        }
    }
}
