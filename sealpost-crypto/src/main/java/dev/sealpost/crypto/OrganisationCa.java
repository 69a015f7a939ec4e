package dev.sealpost.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * An organisation's certification authority (X.509, RFC 5280), kept in one folder:
 * <ul>
 *   <li>{@value #CERT}: the self-signed CA certificate (CA:TRUE, path length 1, keyCertSign and
 *       cRLSign), the trust anchor relays and clients are given;</li>
 *   <li>{@value #KEY}: its private key, encrypted PKCS#8 (PBES2, as identity keys are), 0600;</li>
 *   <li>{@value #ISSUED}{@code /SERIAL.pem}: every certificate it issued;</li>
 *   <li>{@value #REVOKED}: {@code SERIAL-HEX EPOCH-SECONDS} per revoked certificate, for the CRL.</li>
 * </ul>
 * It issues people's signing certificates from PKCS#10 requests (RFC 2986) and signs CRLs (RFC
 * 5280 §5). Path length 1: the person's signing certificate (path length 0) still issues their
 * encryption certificate, so both chain to the CA.
 */
public final class OrganisationCa {
    public static final String CERT = "ca-cert.pem";
    public static final String KEY = "ca-key.pem";
    public static final String ISSUED = "issued";
    public static final String REVOKED = "revoked.txt";
    /** Years a new CA certificate is valid. */
    public static final int CA_YEARS = 10;
    /** Default validity of an issued signing certificate. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);

    private final Path dir;
    private final X509Certificate certificate;
    private final PrivateKey key;

    private OrganisationCa(Path dir, X509Certificate certificate, PrivateKey key) {
        this.dir = dir;
        this.certificate = certificate;
        this.key = key;
    }

    /**
     * Makes a CA: a new key pair, its certificate, and the folder (0700).
     *
     * @param name       the CA's name, its CN (the same rules as a person's name)
     * @param suite      RSA-3072 or P-256
     * @param passphrase encrypts the CA key
     * @throws FileAlreadyExistsException if {@code dir} holds a CA already
     * @throws IllegalArgumentException   if the name is not acceptable
     */
    public static OrganisationCa create(Path dir, String name, Suite suite, char[] passphrase, Clock clock) throws IOException {
        Identity.checkName(name);
        if (Files.exists(dir.resolve(CERT)) || Files.exists(dir.resolve(KEY))) {
            throw new FileAlreadyExistsException(dir.resolve(CERT).toString());
        }
        KeyPair keys = newKeyPair(suite);
        X509Certificate cert = Certificates.authority(name, keys, CA_YEARS, clock);
        AtomicFiles.createPrivateDirectory(dir);
        AtomicFiles.createPrivateDirectory(dir.resolve(ISSUED));
        AtomicFiles.createNew(dir.resolve(KEY), EncryptedKeyPem.encrypt(keys.getPrivate(), passphrase), AtomicFiles.OWNER_ONLY);
        AtomicFiles.createNew(dir.resolve(CERT), Pem.encodeCertificate(cert).getBytes(StandardCharsets.US_ASCII), AtomicFiles.PUBLIC_READ);
        return new OrganisationCa(dir, cert, keys.getPrivate());
    }

    /**
     * Opens a CA to issue or to sign a CRL.
     *
     * @throws WrongPassphraseException if the passphrase does not decrypt the key
     * @throws IOException              if the folder holds no CA
     */
    public static OrganisationCa open(Path dir, char[] passphrase) throws IOException, WrongPassphraseException {
        X509Certificate cert = certificate(dir);
        PrivateKey key = EncryptedKeyPem.decrypt(Files.readAllBytes(dir.resolve(KEY)), passphrase);
        return new OrganisationCa(dir, cert, key);
    }

    /** @return the CA certificate in {@code dir} @throws IOException if there is none */
    public static X509Certificate certificate(Path dir) throws IOException {
        return Pem.readCertificate(dir.resolve(CERT));
    }

    /** @return this CA's certificate */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Issues a person's signing certificate from their request: the request's signature must
     * verify with its own key (proof of possession), its subject must be a single CN that is a
     * valid name, and the certificate gets subject {@code CN=name}, the CA as issuer, a random
     * 128-bit serial, {@code validity} (never past the CA's own), and the extensions of
     * {@link Certificates#issuedSigning}. It is kept under {@value #ISSUED}.
     *
     * @param requestPem a PKCS#10 request, PEM
     * @return the certificate
     * @throws GeneralSecurityException if the request's signature does not verify
     * @throws IOException              if the request is malformed or its subject is not a single valid CN
     */
    public X509Certificate sign(String requestPem, Duration validity, Clock clock) throws IOException, GeneralSecurityException {
        PKCS10CertificationRequest csr;
        try {
            csr = new PKCS10CertificationRequest(Pem.decode(requestPem, "CERTIFICATE REQUEST"));
        } catch (IOException | RuntimeException e) {
            throw new IOException("not a certification request: " + e.getMessage(), e);
        }
        PublicKey key;
        try {
            key = new JcaPKCS10CertificationRequest(csr).setProvider(Providers.bc()).getPublicKey();
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(Providers.bc()).build(key))) {
                throw new GeneralSecurityException("the request's signature does not verify with its key");
            }
        } catch (OperatorCreationException | PKCSException e) {
            throw new GeneralSecurityException("the request's signature cannot be checked: " + e.getMessage(), e);
        }
        String name = singleCommonName(csr.getSubject());
        try {
            Identity.checkName(name);
        } catch (IllegalArgumentException e) {
            throw new IOException("the request's name is not acceptable: " + e.getMessage(), e);
        }
        X509Certificate issued = Certificates.issuedSigning(name, key, certificate, this.key, validity, clock);
        Path kept = dir.resolve(ISSUED).resolve(issued.getSerialNumber().toString(16) + ".pem");
        AtomicFiles.createNew(kept, Pem.encodeCertificate(issued).getBytes(StandardCharsets.US_ASCII), AtomicFiles.PUBLIC_READ);
        return issued;
    }

    /**
     * A relay's TLS key and certificate, issued by this CA: a new P-256 key, the certificate
     * for {@code host} (and its other names), serverAuth, with the CRL's URL if given. The relay
     * serves it with the CA certificate as its chain; clients still pin its fingerprint.
     *
     * @param dnsNames    DNS names for the subject alternative name (the first is also the CN)
     * @param ipAddresses IP addresses for it
     * @param crlUrl      where this CA's CRL is published ({@code http://...}), or null
     * @return the key and its chain (the server certificate, then this CA's)
     * @throws IllegalArgumentException if no name is given
     */
    public Identity.DeviceKey issueServer(List<String> dnsNames, List<String> ipAddresses, Duration validity, String crlUrl,
                                          Clock clock) throws IOException {
        if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs a DNS name or an IP address");
        }
        KeyPair keys = Identity.newKeyPair(Suite.P256, 0);
        X509Certificate cert = Certificates.server(dnsNames.isEmpty() ? ipAddresses.getFirst() : dnsNames.getFirst(), dnsNames,
                ipAddresses, keys.getPublic(), certificate, key, validity, crlUrl, clock);
        AtomicFiles.createNew(dir.resolve(ISSUED).resolve(cert.getSerialNumber().toString(16) + ".pem"),
                Pem.encodeCertificate(cert).getBytes(StandardCharsets.US_ASCII), AtomicFiles.PUBLIC_READ);
        return new Identity.DeviceKey(keys.getPrivate(), List.of(cert, certificate));
    }

    /**
     * Records a certificate as revoked; the next {@link #crl} lists it. Needs no passphrase.
     *
     * @throws IOException if this CA did not issue {@code cert}, or it is revoked already
     */
    public static void revoke(Path dir, X509Certificate cert, Instant at) throws IOException {
        X509Certificate ca = certificate(dir);
        try {
            cert.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new IOException("this CA did not issue that certificate", e);
        }
        String serial = cert.getSerialNumber().toString(16);
        for (Revoked r : revoked(dir)) {
            if (r.serial().toString(16).equals(serial)) {
                throw new IOException("certificate " + serial + " is revoked already");
            }
        }
        Path file = dir.resolve(REVOKED);
        String line = serial + " " + at.getEpochSecond() + "\n";
        String before = Files.exists(file) ? Files.readString(file, StandardCharsets.US_ASCII) : "";
        AtomicFiles.replace(file, (before + line).getBytes(StandardCharsets.US_ASCII), AtomicFiles.PUBLIC_READ);
    }

    /** A revoked serial and when. */
    public record Revoked(BigInteger serial, Instant at) {}

    /** @return the revoked certificates recorded in {@code dir} */
    public static List<Revoked> revoked(Path dir) throws IOException {
        Path file = dir.resolve(REVOKED);
        List<Revoked> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            String[] f = line.strip().split(" ");
            if (f.length == 2) {
                out.add(new Revoked(new BigInteger(f[0], 16), Instant.ofEpochSecond(Long.parseLong(f[1]))));
            }
        }
        return out;
    }

    /**
     * Signs a CRL (RFC 5280 §5, version 2) of every revoked certificate, with reason code
     * unspecified omitted, an authority key identifier and a CRL number (the seconds of
     * {@code thisUpdate}).
     *
     * @param nextUpdate when relying parties should fetch a newer one
     * @return the CRL
     */
    public X509CRL crl(Clock clock, Duration nextUpdate) throws IOException {
        Instant now = clock.instant();
        X509v2CRLBuilder b = new X509v2CRLBuilder(new X509CertificateHolder(encoded(certificate)).getSubject(), Date.from(now));
        b.setNextUpdate(Date.from(now.plus(nextUpdate)));
        for (Revoked r : revoked(dir)) {
            b.addCRLEntry(r.serial(), Date.from(r.at()), CRLReason.unspecified);
        }
        try {
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate.getPublicKey()));
            b.addExtension(Extension.cRLNumber, false, new org.bouncycastle.asn1.x509.CRLNumber(BigInteger.valueOf(now.getEpochSecond())));
            String alg = key instanceof RSAKey ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CRLConverter().setProvider(Providers.bc())
                    .getCRL(b.build(new JcaContentSignerBuilder(alg).setProvider(Providers.bc()).build(key)));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot sign the CRL: " + e.getMessage(), e);
        }
    }

    private static byte[] encoded(X509Certificate c) throws IOException {
        try {
            return c.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IOException(e);
        }
    }

    private static String singleCommonName(X500Name subject) throws IOException {
        RDN[] all = subject.getRDNs();
        RDN[] cns = subject.getRDNs(BCStyle.CN);
        if (all.length != 1 || cns.length != 1 || cns[0].isMultiValued()) {
            throw new IOException("the request's subject must be a single CN, not " + subject);
        }
        return org.bouncycastle.asn1.x500.style.IETFUtils.valueToString(cns[0].getFirst().getValue());
    }

    private static KeyPair newKeyPair(Suite suite) {
        return Identity.newKeyPair(Objects.requireNonNull(suite, "suite"), Identity.DEFAULT_RSA_BITS);
    }
}
