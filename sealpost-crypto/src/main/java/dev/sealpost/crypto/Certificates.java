package dev.sealpost.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Date;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The X.509 v3 certificates (RFC 5280) of an identity: the signing certificate is self-signed
 * and issues the encryption certificate, so the signing key vouches for the encryption key.
 *
 * <p>Both certificates: subject {@code CN=<name>}; a random positive 128-bit serial number;
 * validity from one hour ago (clock skew) to five years ahead, the encryption certificate
 * copying its issuer's; subject key identifier (RFC 5280 §4.2.1.2, SHA-1 of the public key);
 * authority key identifier = the issuer's subject key identifier (§4.2.1.1), so OpenSSL recognises
 * the signing certificate as self-signed and finds it as the encryption certificate's issuer;
 * critical key usage (§4.2.1.3); extended key usage emailProtection (RFC 8550 §4.4.4);
 * critical basicConstraints (§4.2.1.9).
 *
 * <ul>
 *   <li>Signing: key usage digitalSignature, nonRepudiation, keyCertSign; CA:TRUE with
 *       pathLenConstraint 0. §4.2.1.9 and §4.2.1.3 forbid verifying a certificate signature
 *       with a key whose certificate lacks CA:TRUE and keyCertSign; pathLenConstraint 0 lets
 *       it issue end-entity certificates only. OpenSSL 3.0 {@code cms -verify} still accepts
 *       it as the S/MIME signer and trust anchor.
 *   <li>Encryption: key usage keyEncipherment (RSA) or keyAgreement (EC); CA:FALSE.
 * </ul>
 *
 * <p>Certificates are signed with sha256WithRSAEncryption or ecdsa-with-SHA256. The message
 * signatures use RSASSA-PSS, but a PSS-signed certificate over an rsaEncryption key is not
 * recognised as self-signed by OpenSSL 3.0's chain builder, so the certificate itself uses
 * PKCS#1 v1.5, which every verifier accepts.
 */
final class Certificates {
    private Certificates() {}

    static final Duration BACKDATE = Duration.ofHours(1);
    static final int VALID_YEARS = 5;

    /**
     * @param name the person's name, becomes the subject CN (1 to 64 characters)
     * @param keys the signing key pair to certify; it also signs the certificate
     * @param clock source of the validity period
     * @return the self-signed signing certificate, allowed to issue the encryption certificate
     */
    static X509Certificate signing(String name, KeyPair keys, Clock clock) {
        X500Name subject = cn(name);
        Instant now = clock.instant();
        Date notBefore = Date.from(now.minus(BACKDATE));
        Date notAfter = Date.from(ZonedDateTime.ofInstant(now, clock.getZone()).plusYears(VALID_YEARS).toInstant());
        byte[] ski = keyIdentifier(keys.getPublic());
        return build(subject, keys.getPublic(), subject, ski, keys.getPrivate(), notBefore, notAfter,
                KeyUsage.digitalSignature | KeyUsage.nonRepudiation | KeyUsage.keyCertSign, new BasicConstraints(0));
    }

    /**
     * @param key the encryption public key to certify
     * @param usage {@link KeyUsage#keyEncipherment} (RSA) or {@link KeyUsage#keyAgreement} (EC)
     * @param issuer the signing certificate from {@link #signing}; its subject becomes the
     *     subject and issuer, its validity period is copied
     * @param issuerKey the signing private key; signs the certificate
     * @return the encryption certificate, issued by {@code issuer}
     * @throws IllegalArgumentException if {@code issuer} has no subject key identifier
     */
    static X509Certificate encryption(PublicKey key, int usage, X509Certificate issuer, PrivateKey issuerKey) {
        X500Name issuerName = X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
        byte[] aki = subjectKeyId(issuer);
        return build(issuerName, key, issuerName, aki, issuerKey, issuer.getNotBefore(), issuer.getNotAfter(),
                usage, new BasicConstraints(false));
    }

    /**
     * A self-signed end-entity certificate (CA:FALSE) with the given key usage. sealpost no
     * longer issues these for identities; tests use them as certificates that must be refused.
     *
     * @param name the subject CN
     * @param keys the key pair to certify; it also signs the certificate
     * @param usage KeyUsage bits ({@link KeyUsage#digitalSignature} and so on)
     * @param clock source of the validity period
     * @return the certificate
     */
    static X509Certificate selfSigned(String name, KeyPair keys, int usage, Clock clock) {
        X500Name subject = cn(name);
        Instant now = clock.instant();
        Date notBefore = Date.from(now.minus(BACKDATE));
        Date notAfter = Date.from(ZonedDateTime.ofInstant(now, clock.getZone()).plusYears(VALID_YEARS).toInstant());
        return build(subject, keys.getPublic(), subject, keyIdentifier(keys.getPublic()), keys.getPrivate(),
                notBefore, notAfter, usage, new BasicConstraints(false));
    }

    /**
     * @param cert any certificate
     * @return the first CN of its subject
     * @throws IOException if the subject has no CN
     */
    static String commonName(X509Certificate cert) throws IOException {
        X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        RDN[] cns = subject.getRDNs(BCStyle.CN);
        if (cns.length == 0 || !(cns[0].getFirst().getValue() instanceof ASN1String s)) {
            throw new IOException("the certificate subject has no common name (CN)");
        }
        return s.getString();
    }

    private static X500Name cn(String name) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).build();
    }

    /** @return the RFC 5280 §4.2.1.2 method (1) key identifier: SHA-1 of the subjectPublicKey bits */
    private static byte[] keyIdentifier(PublicKey key) {
        try {
            return new JcaX509ExtensionUtils().createSubjectKeyIdentifier(key).getKeyIdentifier();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-1 for key identifiers", e);
        }
    }

    private static X509Certificate build(X500Name issuer, PublicKey subjectKey, X500Name subject, byte[] authorityKeyId,
                                         PrivateKey signingKey, Date notBefore, Date notAfter, int usage,
                                         BasicConstraints constraints) {
        return build(issuer, subjectKey, subject, authorityKeyId, signingKey, notBefore, notAfter, usage, constraints,
                new KeyPurposeId[] {KeyPurposeId.id_kp_emailProtection});
    }

    /**
     * An organisation CA's own certificate (RFC 5280): self-signed, CA:TRUE with path length 1
     * (it issues people's signing certificates, which issue their encryption certificates),
     * keyCertSign and cRLSign, no extended key usage (which OpenSSL would apply to the whole chain).
     *
     * @param name  the CA's CN
     * @param years validity
     */
    static X509Certificate authority(String name, KeyPair keys, int years, Clock clock) {
        X500Name subject = cn(name);
        Instant now = clock.instant();
        Date notBefore = Date.from(now.minus(BACKDATE));
        Date notAfter = Date.from(ZonedDateTime.ofInstant(now, clock.getZone()).plusYears(years).toInstant());
        return build(subject, keys.getPublic(), subject, keyIdentifier(keys.getPublic()), keys.getPrivate(), notBefore, notAfter,
                KeyUsage.keyCertSign | KeyUsage.cRLSign, new BasicConstraints(1), null);
    }

    /**
     * A person's signing certificate issued by an organisation CA: subject {@code CN=name} as
     * {@link #signing} makes it, CA:TRUE with path length 0 and keyCertSign so that it still
     * issues the person's encryption certificate, digitalSignature and nonRepudiation, extended
     * key usage emailProtection (S/MIME) and clientAuth (TLS client certificates, RFC 5280 §4.2.1.12).
     */
    static X509Certificate issuedSigning(String name, PublicKey key, X509Certificate ca, PrivateKey caKey, Duration validity,
                                         Clock clock) {
        X500Name issuer = X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
        byte[] aki = subjectKeyId(ca);
        Instant now = clock.instant();
        Date notAfter = Date.from(now.plus(validity));
        if (notAfter.after(ca.getNotAfter())) {
            notAfter = ca.getNotAfter();
        }
        return build(issuer, key, cn(name), aki, caKey, Date.from(now.minus(BACKDATE)), notAfter,
                KeyUsage.digitalSignature | KeyUsage.nonRepudiation | KeyUsage.keyCertSign, new BasicConstraints(0),
                new KeyPurposeId[] {KeyPurposeId.id_kp_emailProtection, KeyPurposeId.id_kp_clientAuth});
    }

    /**
     * A device's TLS client certificate (RFC 5280, EKU clientAuth), issued by the person's
     * signing certificate for a separate device key: CA:FALSE, digitalSignature, subject
     * {@code CN=name}, the signing certificate's validity. With a CA-issued signing certificate
     * it chains device → person → organisation CA.
     */
    static X509Certificate device(PublicKey key, X509Certificate issuer, PrivateKey issuerKey) {
        X500Name issuerName = X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
        byte[] aki = subjectKeyId(issuer);
        return build(issuerName, key, issuerName, aki, issuerKey, issuer.getNotBefore(), issuer.getNotAfter(),
                KeyUsage.digitalSignature, new BasicConstraints(false), new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth});
    }

    /**
     * A relay's TLS server certificate issued by an organisation CA (RFC 5280): subject
     * {@code CN=host}, subject alternative names {@code dnsNames} and {@code ipAddresses}, EKU
     * serverAuth, digitalSignature, CA:FALSE, and a CRL distribution point when {@code crlUrl} is
     * given (§4.2.1.13), so TLS checkers find where revocation is published.
     */
    static X509Certificate server(String host, java.util.List<String> dnsNames, java.util.List<String> ipAddresses, PublicKey key,
                                  X509Certificate ca, PrivateKey caKey, Duration validity, String crlUrl, Clock clock) {
        java.util.List<org.bouncycastle.asn1.x509.GeneralName> names = new java.util.ArrayList<>();
        dnsNames.forEach(n -> names.add(new org.bouncycastle.asn1.x509.GeneralName(org.bouncycastle.asn1.x509.GeneralName.dNSName, n)));
        ipAddresses.forEach(n -> names.add(new org.bouncycastle.asn1.x509.GeneralName(org.bouncycastle.asn1.x509.GeneralName.iPAddress, n)));
        Instant now = clock.instant();
        Date notAfter = Date.from(now.plus(validity));
        if (notAfter.after(ca.getNotAfter())) {
            notAfter = ca.getNotAfter();
        }
        X500Name issuer = X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(128, Providers.RANDOM).setBit(127),
                    Date.from(now.minus(BACKDATE)), notAfter, cn(host), key)
                    .addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyIdentifier(key)))
                    .addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(subjectKeyId(ca)))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false,
                            new org.bouncycastle.asn1.x509.GeneralNames(names.toArray(org.bouncycastle.asn1.x509.GeneralName[]::new)));
            if (crlUrl != null) {
                org.bouncycastle.asn1.x509.GeneralName where = new org.bouncycastle.asn1.x509.GeneralName(
                        org.bouncycastle.asn1.x509.GeneralName.uniformResourceIdentifier, crlUrl);
                b.addExtension(Extension.cRLDistributionPoints, false, new org.bouncycastle.asn1.x509.CRLDistPoint(
                        new org.bouncycastle.asn1.x509.DistributionPoint[] {new org.bouncycastle.asn1.x509.DistributionPoint(
                                new org.bouncycastle.asn1.x509.DistributionPointName(new org.bouncycastle.asn1.x509.GeneralNames(where)),
                                null, null)}));
            }
            String alg = caKey instanceof RSAKey ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder(alg).setProvider(Providers.bc()).build(caKey)));
        } catch (CertIOException | OperatorCreationException | CertificateException e) {
            throw new IllegalStateException("cannot create a certificate", e);
        }
    }

    /**
     * @return {@code issuer}'s subject key identifier, for the authority key identifier of what it issues
     * @throws IllegalArgumentException if it has none
     */
    private static byte[] subjectKeyId(X509Certificate issuer) {
        byte[] ext = issuer.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ext == null) {
            throw new IllegalArgumentException("the issuing certificate has no subject key identifier");
        }
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
    }

    /** @return the X.500 name sealpost gives a person or CA: a single CN */
    static X500Name subjectOf(String name) {
        return cn(name);
    }

    private static X509Certificate build(X500Name issuer, PublicKey subjectKey, X500Name subject, byte[] authorityKeyId,
                                         PrivateKey signingKey, Date notBefore, Date notAfter, int usage,
                                         BasicConstraints constraints, KeyPurposeId[] purposes) {
        BigInteger serial;
        do {
            serial = new BigInteger(128, Providers.RANDOM);
        } while (serial.signum() == 0);
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial, notBefore, notAfter, subject, subjectKey)
                    .addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyIdentifier(subjectKey)))
                    .addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(authorityKeyId))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
                    .addExtension(Extension.basicConstraints, true, constraints);
            if (purposes != null) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
            }
            String alg = signingKey instanceof RSAKey ? "SHA256withRSA" : "SHA256withECDSA";
            ContentSigner signer = new JcaContentSignerBuilder(alg).setProvider(Providers.bc()).build(signingKey);
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (CertIOException | OperatorCreationException | CertificateException e) {
            throw new IllegalStateException("cannot create a certificate", e);
        }
    }
}
