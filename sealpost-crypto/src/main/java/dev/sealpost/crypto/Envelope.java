package dev.sealpost.crypto;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.CMSVerifierCertificateNotValidException;
import org.bouncycastle.cms.SignerId;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.DefaultCMSSignatureAlgorithmNameGenerator;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * A decrypted message whose signature has not been checked yet: CMS SignedData (RFC 5652 §5)
 * with encapsulated id-data content.
 *
 * <p>It gives no access to the content. The only way to the content is {@link #verify}, against
 * a certificate the caller trusts for the sender. {@link #claimedSignerCertificate()} helps to
 * find that certificate, but the certificate a message carries proves nothing by itself.
 */
public final class Envelope {
    private final CMSSignedData signed;

    private Envelope(CMSSignedData signed) {
        this.signed = signed;
    }

    /**
     * @param plaintext the decrypted AuthEnvelopedData content: DER/BER ContentInfo(SignedData),
     *     or an S/MIME entity holding it
     * @throws MalformedMessageException if it is not SignedData with encapsulated id-data content
     */
    static Envelope parse(byte[] plaintext) throws MalformedMessageException {
        ContentInfo ci = Der.contentInfo(SmimeEntity.derOf(plaintext, "signed content"), "signed content");
        if (!CMSObjectIdentifiers.signedData.equals(ci.getContentType())) {
            throw new MalformedMessageException("the decrypted message is not signed (CMS content type " + ci.getContentType().getId() + ")");
        }
        CMSSignedData sd;
        try {
            sd = new CMSSignedData(ci);
        } catch (CMSException e) {
            throw new MalformedMessageException("the decrypted message is not valid CMS SignedData", e);
        }
        if (sd.getSignedContent() == null) {
            throw new MalformedMessageException("the signature is detached; sealpost requires the content inside the signature");
        }
        if (!CMSObjectIdentifiers.data.equals(sd.getSignedContentType())) {
            throw new MalformedMessageException("the signed content is not id-data (CMS content type " + sd.getSignedContentType().getId() + ")");
        }
        return new Envelope(sd);
    }

    /**
     * The certificate the message carries for its one signer, matched by the SignerInfo's
     * issuer and serial number or subject key identifier. Untrusted: use it to look up or
     * display the sender, then call {@link #verify} with the certificate you trust.
     *
     * @return the carried certificate, or empty if there is not exactly one signer or no
     *     carried certificate matches it
     */
    public Optional<X509Certificate> claimedSignerCertificate() {
        try {
            Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
            if (signers.size() != 1) {
                return Optional.empty();
            }
            SignerId sid = signers.iterator().next().getSID();
            for (X509CertificateHolder carried : signed.getCertificates().getMatches(null)) {
                if (sid.match(carried)) {
                    return Optional.of(new JcaX509CertificateConverter().getCertificate(carried));
                }
            }
            return Optional.empty();
        } catch (CertificateException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Verifies the signature against a trusted certificate and releases the content.
     *
     * <p>Checks, in order: the trusted certificate allows digitalSignature; there is exactly one
     * SignerInfo; its signer identifier names the trusted certificate (issuer and serial number,
     * or subject key identifier); signed attributes are present; the digest is SHA-256/384/512
     * and the signature algorithm is accepted ({@link SignaturePolicy}); then Bouncy Castle
     * checks the contentType and messageDigest attributes, the CMSAlgorithmProtection attribute
     * when present (RFC 6211 §3), that the certificate was valid at the signingTime when present,
     * and the signature itself. The certificate embedded in the message is never used.
     *
     * @param trustedSigningCertificate the certificate trusted for the sender (pinned, or chained to a CA elsewhere)
     * @return the content, the trusted certificate and the claimed signing time
     * @throws VerificationFailedException with a one-line reason if any check fails
     * @throws NullPointerException if the certificate is null
     */
    public Verified verify(X509Certificate trustedSigningCertificate) throws VerificationFailedException {
        Objects.requireNonNull(trustedSigningCertificate, "trustedSigningCertificate");
        try {
            return doVerify(trustedSigningCertificate);
        } catch (RuntimeException e) {
            throw new VerificationFailedException("signature does not verify: malformed signature", e);
        }
    }

    private Verified doVerify(X509Certificate trusted) throws VerificationFailedException {
        if (!KeyPolicy.hasUsage(trusted, KeyPolicy.DIGITAL_SIGNATURE)) {
            throw new VerificationFailedException("the trusted certificate does not allow digitalSignature (key usage)");
        }
        Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            throw new VerificationFailedException("expected exactly one signature, found " + signers.size());
        }
        SignerInformation signer = signers.iterator().next();
        // RFC 5652 §5.2: eContent is an OCTET STRING. Bouncy Castle also verifies other types (for
        // PKCS #7), digesting their contents octets, so an OCTET STRING re-tagged as, say, a
        // UTF8String still verifies: refuse it here rather than hand on something not signed as bytes.
        Object content = signed.getSignedContent() == null ? null : signed.getSignedContent().getContent();
        if (!(content instanceof byte[] bytes)) {
            throw new VerificationFailedException("signature does not verify: the signed content is not an OCTET STRING");
        }
        try {
            if (!signer.getSID().match(new JcaX509CertificateHolder(trusted))) {
                throw new VerificationFailedException("signed by a different key than the one trusted for this sender");
            }
        } catch (CertificateEncodingException e) {
            throw new VerificationFailedException("the trusted certificate cannot be encoded", e);
        }
        if (signer.getSignedAttributes() == null) {
            throw new VerificationFailedException("the signature has no signed attributes");
        }
        SignaturePolicy.check(signer);
        try {
            SignerInformationVerifier verifier = new SignerInformationVerifier(
                    new DefaultCMSSignatureAlgorithmNameGenerator(), new DefaultSignatureAlgorithmIdentifierFinder(),
                    JdkPss.verifiers(trusted), Signing.jdkDigests());
            if (!signer.verify(verifier)) {
                throw new VerificationFailedException("signature does not verify");
            }
        } catch (CMSSignerDigestMismatchException e) {
            throw new VerificationFailedException("signature does not verify: the content does not match its digest", e);
        } catch (CMSVerifierCertificateNotValidException e) {
            throw new VerificationFailedException("signature does not verify: the certificate was not valid at the signing time", e);
        } catch (CMSException | OperatorCreationException e) {
            throw new VerificationFailedException("signature does not verify", e);
        }
        return new Verified(bytes, trusted, signingTime(signer));
    }

    private static Instant signingTime(SignerInformation signer) {
        Attribute attr = signer.getSignedAttributes().get(CMSAttributes.signingTime);
        if (attr == null || attr.getAttrValues().size() != 1) {
            return null;
        }
        ASN1Encodable value = attr.getAttrValues().getObjectAt(0);
        try {
            return Time.getInstance(value).getDate().toInstant();
        } catch (IllegalArgumentException | IllegalStateException e) {
            return null;
        }
    }

    /** @return a fixed text; never content */
    @Override
    public String toString() {
        return "Envelope[unverified]";
    }

    /** For tests: the SignedData as parsed. */
    byte[] signedDataEncoding() throws IOException {
        return signed.getEncoded();
    }
}
