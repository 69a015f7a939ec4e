package dev.sealpost.crypto;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EncryptedContentInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.PKIXRecipientId;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientInformation;

/**
 * Decrypts CMS AuthEnvelopedData (RFC 5083) for one recipient.
 *
 * <p>Order of checks: the outer structure parses strictly ({@link Der}); it is AuthEnvelopedData
 * (EnvelopedData is refused: it is not authenticated); the content encryption is AES-GCM with a
 * 12-byte nonce and 16-byte tag ({@link GcmPolicy}) and the mac has that length; a RecipientInfo
 * names the recipient's encryption certificate; its algorithms are accepted
 * ({@link KeyTransportPolicy}); then the key is recovered and the content decrypted, and any
 * failure from here on is a {@link DecryptionFailedException} with one message, so that no
 * oracle distinguishes a bad key from a bad tag.
 */
final class Opening {
    private Opening() {}

    static Envelope decrypt(byte[] sealed, Identity me)
            throws MalformedMessageException, NotARecipientException, DecryptionFailedException, KeyUnlockException {
        ContentInfo ci = Der.contentInfo(SmimeEntity.derOf(sealed, "message"), "message");
        if (CMSObjectIdentifiers.envelopedData.equals(ci.getContentType())) {
            throw new MalformedMessageException("sealpost requires AuthEnvelopedData with AES-GCM; this message is unauthenticated EnvelopedData");
        }
        if (!CMSObjectIdentifiers.authEnvelopedData.equals(ci.getContentType())) {
            throw new MalformedMessageException("not an encrypted message (CMS content type " + ci.getContentType().getId() + ")");
        }
        AuthEnvelopedData aed = AuthEnvelopedData.getInstance(ci.getContent());
        EncryptedContentInfo eci = aed.getAuthEncryptedContentInfo();
        GcmPolicy.parameters(eci.getContentEncryptionAlgorithm());
        if (eci.getEncryptedContent() == null) {
            throw new MalformedMessageException("the encrypted content is missing");
        }
        if (!CMSObjectIdentifiers.data.equals(eci.getContentType())) {
            throw new MalformedMessageException("unexpected encrypted content type " + eci.getContentType().getId());
        }
        if (aed.getMac().getOctets().length != GcmPolicy.TAG_BYTES) {
            throw new MalformedMessageException("the authentication tag is not 16 bytes");
        }
        CMSAuthEnvelopedData cms;
        try {
            cms = new CMSAuthEnvelopedData(ci);
        } catch (CMSException e) {
            throw new MalformedMessageException("not valid CMS AuthEnvelopedData", e);
        }
        RecipientInformation info = find(cms, me.encryptionCertificate());
        Recipient recipient;
        if (info instanceof KeyTransRecipientInformation && me.suite() == Suite.RSA) {
            KeyTransportPolicy.requireOaep(info.getKeyEncryptionAlgorithm());
            recipient = GcmRecipients.keyTransport(me.encryptionKey());
        } else if (info instanceof KeyAgreeRecipientInformation && me.suite() == Suite.P256) {
            KeyTransportPolicy.requireEcdh(info.getKeyEncryptionAlgorithm());
            recipient = GcmRecipients.keyAgreement(me.encryptionKey());
        } else {
            throw new NotARecipientException();
        }
        byte[] plaintext;
        try {
            plaintext = info.getContent(recipient);
        } catch (CMSException e) {
            throw new DecryptionFailedException(DecryptionFailedException.MODIFIED, e);
        }
        return Envelope.parse(plaintext);
    }

    private static RecipientInformation find(CMSAuthEnvelopedData cms, X509Certificate cert) throws NotARecipientException {
        X509CertificateHolder holder;
        try {
            holder = new JcaX509CertificateHolder(cert);
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("own certificate cannot be encoded", e);
        }
        for (RecipientInformation ri : cms.getRecipientInfos().getRecipients()) {
            if (ri.getRID() instanceof PKIXRecipientId rid && rid.match(holder)) {
                return ri;
            }
        }
        throw new NotARecipientException();
    }
}
