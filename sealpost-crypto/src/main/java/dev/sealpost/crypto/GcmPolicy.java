package dev.sealpost.crypto;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/**
 * The content encryption sealpost accepts in AuthEnvelopedData: AES-GCM (RFC 5084 §3.2) with
 * a 12-byte nonce and a 16-byte tag. AES-128, -192 and -256 are accepted; sealpost itself
 * always seals with AES-256.
 */
final class GcmPolicy {
    private GcmPolicy() {}

    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;

    /**
     * @param keyBytes AES key length in bytes (16, 24 or 32)
     * @param nonce the 12-byte nonce
     * @param tagBytes tag length in bytes, always 16
     */
    record Params(int keyBytes, byte[] nonce, int tagBytes) {}

    /**
     * @param alg the authEncryptedContentInfo's contentEncryptionAlgorithm
     * @return its parameters
     * @throws MalformedMessageException if it is not AES-GCM with a 12-byte nonce and 16-byte tag
     */
    static Params parameters(AlgorithmIdentifier alg) throws MalformedMessageException {
        ASN1ObjectIdentifier oid = alg.getAlgorithm();
        int keyBytes;
        if (NISTObjectIdentifiers.id_aes256_GCM.equals(oid)) {
            keyBytes = 32;
        } else if (NISTObjectIdentifiers.id_aes192_GCM.equals(oid)) {
            keyBytes = 24;
        } else if (NISTObjectIdentifiers.id_aes128_GCM.equals(oid)) {
            keyBytes = 16;
        } else {
            throw new MalformedMessageException("sealpost requires AuthEnvelopedData with AES-GCM; this message uses " + oid.getId());
        }
        if (alg.getParameters() == null) {
            throw new MalformedMessageException("AES-GCM parameters are missing");
        }
        GCMParameters gcm = GCMParameters.getInstance(alg.getParameters());
        byte[] nonce = gcm.getNonce();
        if (nonce.length != NONCE_BYTES || gcm.getIcvLen() != TAG_BYTES) {
            throw new MalformedMessageException("sealpost requires AES-GCM with a 12-byte nonce and a 16-byte tag");
        }
        return new Params(keyBytes, nonce, TAG_BYTES);
    }
}
