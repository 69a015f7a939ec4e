package dev.sealpost.relay;

import dev.sealpost.crypto.AtomicFiles;
import dev.sealpost.crypto.Pem;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's TLS certificate and private key, in {@code dataDir/tls/cert.pem} and
 * {@code key.pem} (PKCS#8, mode 0600). Created on first start as a self-signed EC P-256
 * certificate for localhost, 127.0.0.1, ::1, the machine's host name and the configured
 * listening host; reused on every later start, so its fingerprint, which clients pin, stays
 * the same. A certificate and key put there by the operator (PEM; EC or RSA) are used as they are.
 */
record TlsIdentity(X509Certificate certificate, PrivateKey privateKey, java.util.List<X509Certificate> chain) {
    /** A self-signed certificate: the chain is the certificate alone. */
    TlsIdentity(X509Certificate certificate, PrivateKey privateKey) {
        this(certificate, privateKey, java.util.List.of(certificate));
    }

    static final String CERT_FILE = "cert.pem";
    static final String KEY_FILE = "key.pem";
    static final Duration VALIDITY = Duration.ofDays(3650);
    private static final Logger LOG = LoggerFactory.getLogger(TlsIdentity.class);

    /**
     * @param tlsDir     {@code dataDir/tls}; created (mode 0700) if missing
     * @param listenHost the configured listening host, added to a new certificate's names
     * @throws IOException if the files cannot be read or written, or do not belong together
     */
    static TlsIdentity loadOrCreate(Path tlsDir, String listenHost, Clock clock) throws IOException {
        Path cert = tlsDir.resolve(CERT_FILE);
        Path key = tlsDir.resolve(KEY_FILE);
        if (Files.exists(cert)) {
            if (!Files.exists(key)) {
                throw new IOException(key + " is missing; restore it, or delete " + cert + " to create a new certificate");
            }
            return load(cert, key, clock);
        }
        // No certificate: a first start, or one interrupted between writing key and certificate.
        AtomicFiles.createPrivateDirectory(tlsDir);
        TlsIdentity created = create(names(listenHost), clock);
        AtomicFiles.replace(key, pkcs8Pem(created.privateKey()), AtomicFiles.OWNER_ONLY);
        AtomicFiles.replace(cert, Pem.encodeCertificate(created.certificate()).getBytes(StandardCharsets.US_ASCII),
                AtomicFiles.OWNER_ONLY); // public, but everything in the data directory is the relay's alone
        return created;
    }

    private static TlsIdentity load(Path certFile, Path keyFile, Clock clock) throws IOException {
        // The file may hold a chain (an organisation CA's certificate after the relay's, as
        // sealpost ca sign-server writes it): served whole, so TLS checkers see the issuer.
        java.util.List<X509Certificate> chain = new java.util.ArrayList<>();
        try (java.io.InputStream in = Files.newInputStream(certFile)) {
            for (java.security.cert.Certificate c : java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                chain.add((X509Certificate) c);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(certFile + " is not a PEM certificate chain: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IOException("no certificate in " + certFile);
        }
        X509Certificate cert = chain.getFirst();
        PrivateKey key = readPrivateKey(keyFile);
        if (!belongTogether(cert, key)) {
            throw new IOException(keyFile + " is not the private key of " + certFile);
        }
        if (AtomicFiles.readableByOthers(keyFile)) {
            LOG.warn("{} is readable by other users; restrict it with chmod 600", keyFile);
        }
        if (clock.instant().isAfter(cert.getNotAfter().toInstant())) {
            LOG.warn("{} expired on {}; delete {} to create a new certificate (clients must pin it again)",
                    certFile, cert.getNotAfter().toInstant(), certFile.getParent());
        }
        return new TlsIdentity(cert, key, chain);
    }

    static TlsIdentity create(Set<GeneralName> names, Clock clock) throws IOException {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = kpg.generateKeyPair();
            Instant now = clock.instant();
            byte[] serial = new byte[16];
            new SecureRandom().nextBytes(serial);
            X500Name subject = new X500Name("CN=sealpost relay");
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(1, serial),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.toArray(GeneralName[]::new)));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return new TlsIdentity(cert, pair.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot create the relay's TLS certificate: " + e.getMessage(), e);
        }
    }

    /** @return localhost, 127.0.0.1, ::1, this machine's host name and {@code listenHost} if specific */
    static Set<GeneralName> names(String listenHost) {
        Set<GeneralName> names = new LinkedHashSet<>();
        names.add(new GeneralName(GeneralName.dNSName, "localhost"));
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        names.add(new GeneralName(GeneralName.iPAddress, "::1"));
        hostName().ifPresent(h -> names.add(new GeneralName(GeneralName.dNSName, h)));
        addHost(names, listenHost);
        return names;
    }

    private static void addHost(Set<GeneralName> names, String host) {
        if (host == null) {
            return;
        }
        String h = host.strip();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        try {
            InetAddress ip = InetAddress.ofLiteral(h);
            if (!ip.isAnyLocalAddress()) {
                names.add(new GeneralName(GeneralName.iPAddress, ip.getHostAddress()));
            }
        } catch (IllegalArgumentException notAnAddress) {
            if (isDnsName(h)) {
                names.add(new GeneralName(GeneralName.dNSName, h.toLowerCase(Locale.ROOT)));
            }
        }
    }

    /** @return this machine's host name, if it has a usable one */
    static Optional<String> hostName() {
        try {
            String h = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
            return isDnsName(h) && !h.equals("localhost") ? Optional.of(h) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean isDnsName(String h) {
        return h.length() <= 253 && h.matches("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")
                && !h.matches("[0-9.]+");
    }

    private static byte[] pkcs8Pem(PrivateKey key) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded());
        return ("-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static PrivateKey readPrivateKey(Path file) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file, StandardCharsets.US_ASCII)))) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (o instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            throw new IOException(file + ": expected an unencrypted PEM private key (BEGIN PRIVATE KEY)");
        } catch (RuntimeException e) {
            throw new IOException(file + ": malformed private key", e);
        }
    }

    /** Signs a random challenge with the key and verifies it with the certificate. */
    private static boolean belongTogether(X509Certificate cert, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return true; // let the TLS handshake decide
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(challenge);
            byte[] signature = s.sign();
            Signature v = Signature.getInstance(algorithm);
            v.initVerify(cert.getPublicKey());
            v.update(challenge);
            return v.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "TlsIdentity[" + certificate.getSubjectX500Principal() + ", privateKey=[REDACTED]]";
    }
}
