package dev.sealpost.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * PEM (RFC 7468) encoding of X.509 certificates, by Bouncy Castle's PEM reader and writer.
 */
public final class Pem {
    private Pem() {}

    /**
     * @param certificate any certificate
     * @return its {@code -----BEGIN CERTIFICATE-----} text, lines ending in LF
     */
    public static String encodeCertificate(X509Certificate certificate) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(certificate);
        } catch (IOException e) {
            throw new IllegalStateException("PEM encoding failed", e);
        }
        return out.toString();
    }

    /**
     * @param type the PEM label, e.g. {@code CERTIFICATE REQUEST} or {@code X509 CRL} (RFC 7468)
     * @param der  the DER encoding
     * @return the PEM text, lines ending in LF
     */
    public static String encode(String type, byte[] der) {
        StringWriter out = new StringWriter();
        try (org.bouncycastle.util.io.pem.PemWriter w = new org.bouncycastle.util.io.pem.PemWriter(out)) {
            w.writeObject(new org.bouncycastle.util.io.pem.PemObject(type, der));
        } catch (IOException e) {
            throw new IllegalStateException("PEM encoding failed", e);
        }
        return out.toString();
    }

    /**
     * @param text PEM text
     * @param type the label to find, e.g. {@code CERTIFICATE REQUEST}
     * @return the DER bytes of the first object with that label
     * @throws IOException if there is none, or it is not well-formed base64
     */
    public static byte[] decode(String text, String type) throws IOException {
        try (org.bouncycastle.util.io.pem.PemReader r = new org.bouncycastle.util.io.pem.PemReader(new java.io.StringReader(text))) {
            for (org.bouncycastle.util.io.pem.PemObject o = r.readPemObject(); o != null; o = r.readPemObject()) {
                if (o.getType().equals(type)) {
                    return o.getContent();
                }
            }
        } catch (RuntimeException e) {
            throw new IOException("malformed PEM: " + e.getMessage(), e);
        }
        throw new IOException("no " + type + " in the PEM text");
    }

    /**
     * Decodes the first certificate in PEM text; DER bytes are accepted too.
     *
     * @param pemOrDer PEM text or raw DER
     * @return the certificate
     * @throws IOException if there is no well-formed certificate in the input
     */
    public static X509Certificate decodeCertificate(byte[] pemOrDer) throws IOException {
        byte[] der = pemOrDer;
        if (pemOrDer.length > 0 && pemOrDer[0] != 0x30) {
            try (PEMParser p = new PEMParser(new StringReader(new String(pemOrDer, StandardCharsets.US_ASCII)))) {
                Object o;
                do {
                    o = p.readObject();
                } while (o != null && !(o instanceof X509CertificateHolder));
                if (o == null) {
                    throw new IOException("no certificate found");
                }
                der = ((X509CertificateHolder) o).getEncoded();
            } catch (RuntimeException e) {
                throw new IOException("malformed PEM certificate", e);
            }
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw new IOException("malformed certificate", e);
        }
    }

    /** @see #decodeCertificate(byte[]) */
    public static X509Certificate decodeCertificate(String pem) throws IOException {
        return decodeCertificate(pem.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Reads a certificate file (PEM or DER).
     *
     * @throws IOException if the file cannot be read or holds no certificate; the message names the file
     */
    public static X509Certificate readCertificate(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + e.getClass().getSimpleName(), e);
        }
        try {
            return decodeCertificate(bytes);
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}
