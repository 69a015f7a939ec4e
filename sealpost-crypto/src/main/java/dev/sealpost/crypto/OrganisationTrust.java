package dev.sealpost.crypto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Trust in an organisation CA ({@link OrganisationCa}): a person's certificates are accepted
 * when PKIX path validation (RFC 5280 §6, the JDK's {@link CertPathValidator}) takes their
 * signing certificate to the CA certificate as trust anchor, at the current time, not revoked by
 * the CA's CRL when one is given (RFC 5280 §6.3), its subject CN is their account name, and
 * their encryption certificate is issued by that signing certificate ({@link PublicIdentity#of}).
 *
 * <p>The CRL file is read again whenever it changes on disk, so publishing a new one takes
 * effect without a restart. A CRL past its next update is stale: the JDK's validator then
 * cannot determine the revocation status and validation fails rather than trusting a
 * certificate that may be revoked (checked in {@code OrganisationCaTest}).
 */
public final class OrganisationTrust {
    private final TrustAnchor anchor;
    private final X509Certificate anchorCertificate;
    private final Path crlFile;
    private final Clock clock;
    private FileTime crlTime;
    private X509CRL crl;

    private OrganisationTrust(X509Certificate anchor, Path crlFile, Clock clock) {
        this.anchorCertificate = anchor;
        this.anchor = new TrustAnchor(anchor, null);
        this.crlFile = crlFile;
        this.clock = clock;
    }

    /**
     * @param anchorPem the CA certificate, PEM
     * @param crlPem    the CA's CRL (PEM), or null to check no revocation
     * @throws IOException if a file is missing or malformed, or the CRL is not signed by the CA
     */
    public static OrganisationTrust load(Path anchorPem, Path crlPem, Clock clock) throws IOException {
        X509Certificate ca = Pem.readCertificate(anchorPem);
        if (ca.getBasicConstraints() < 0) {
            throw new IOException(anchorPem + " is not a CA certificate (basicConstraints cA)");
        }
        OrganisationTrust t = new OrganisationTrust(ca, crlPem, clock);
        if (crlPem != null) {
            t.currentCrl();
        }
        return t;
    }

    /** @return the CA certificate */
    public X509Certificate anchor() {
        return anchorCertificate;
    }

    /**
     * @param name the account name the certificates are for
     * @return the checked identity
     * @throws CertificateException with a one-line reason if they do not qualify
     */
    public PublicIdentity check(String name, X509Certificate signing, X509Certificate encryption) throws CertificateException {
        PublicIdentity id = PublicIdentity.of(name, signing, encryption);
        try {
            CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(signing));
            PKIXParameters params = new PKIXParameters(Set.of(anchor));
            params.setDate(Date.from(clock.instant()));
            X509CRL current = crlFile == null ? null : currentCrl();
            params.setRevocationEnabled(current != null);
            if (current != null) {
                params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(List.of(current))));
            }
            CertPathValidator.getInstance("PKIX").validate(path, params);
        } catch (CertPathValidatorException e) {
            String reason = e.getReason() == CertPathValidatorException.BasicReason.REVOKED ? "is revoked by the CA"
                    : e.getReason() == CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS
                    ? "has an unknown revocation status (is the CRL current?)"
                    : e.getReason() == CertPathValidatorException.BasicReason.EXPIRED ? "has expired"
                    : "is not issued by the organisation CA " + anchorCertificate.getSubjectX500Principal().getName();
            throw new CertificateException(name + "'s signing certificate " + reason, e);
        } catch (GeneralSecurityException | IOException e) {
            throw new CertificateException(name + "'s certificates cannot be checked against the organisation CA: " + e.getMessage(), e);
        }
        return id;
    }

    private synchronized X509CRL currentCrl() throws IOException {
        FileTime t = Files.getLastModifiedTime(crlFile);
        if (crl == null || !t.equals(crlTime)) {
            try {
                X509CRL read = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(
                        new java.io.ByteArrayInputStream(Pem.decode(Files.readString(crlFile, java.nio.charset.StandardCharsets.US_ASCII),
                                "X509 CRL")));
                read.verify(anchorCertificate.getPublicKey());
                crl = read;
                crlTime = t;
            } catch (GeneralSecurityException e) {
                throw new IOException(crlFile + " is not a CRL signed by " + anchorCertificate.getSubjectX500Principal().getName()
                        + ": " + e.getMessage(), e);
            }
        }
        return crl;
    }
}
