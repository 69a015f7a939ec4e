package dev.sealpost.crypto;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Passphrase-encrypted PKCS#8 private keys in PEM ({@code -----BEGIN ENCRYPTED PRIVATE KEY-----},
 * RFC 5958 §3, RFC 7468 §11), readable by {@code openssl pkey}.
 *
 * <p>Written with PBES2 (RFC 8018 §6.2): PBKDF2 with HMAC-SHA256, {@value #ITERATIONS}
 * iterations (OWASP 2023 guidance for PBKDF2-HMAC-SHA256), a random 16-byte salt, and
 * AES-256-CBC with a random IV. The passphrase enters PBKDF2 as its UTF-8 bytes, as OpenSSL reads
 * it from a file. The JDK (SunJCE) does the work, about twice as fast as Bouncy Castle's PBKDF2;
 * Bouncy Castle only reads and writes the ASN.1 and PEM.
 *
 * <p>Read: PBES2 with PBKDF2 (HMAC-SHA1 or SHA-2) and AES-CBC, which covers what OpenSSL 1.1 and
 * 3.x write; the iteration count is bounded so that a planted file cannot stall the reader.
 */
final class EncryptedKeyPem {
    private EncryptedKeyPem() {}

    static final int ITERATIONS = 600_000;
    static final int MAX_ITERATIONS = 10_000_000;
    static final String PEM_TYPE = "ENCRYPTED PRIVATE KEY";

    private static final String WRITE_ALGORITHM = "PBEWithHmacSHA256AndAES_256";
    private static final int SALT_BYTES = 16;
    private static final int IV_BYTES = 16;

    private static final Set<ASN1ObjectIdentifier> PRFS = Set.of(
            PKCSObjectIdentifiers.id_hmacWithSHA1, PKCSObjectIdentifiers.id_hmacWithSHA224,
            PKCSObjectIdentifiers.id_hmacWithSHA256, PKCSObjectIdentifiers.id_hmacWithSHA384,
            PKCSObjectIdentifiers.id_hmacWithSHA512);
    private static final Set<ASN1ObjectIdentifier> CIPHERS = Set.of(
            NISTObjectIdentifiers.id_aes128_CBC, NISTObjectIdentifiers.id_aes192_CBC, NISTObjectIdentifiers.id_aes256_CBC);

    /**
     * @param key the private key
     * @param passphrase the passphrase; not retained
     * @return PEM text, US-ASCII, LF line ends
     */
    static byte[] encrypt(PrivateKey key, char[] passphrase) {
        byte[] salt = new byte[SALT_BYTES];
        byte[] iv = new byte[IV_BYTES];
        Providers.RANDOM.nextBytes(salt);
        Providers.RANDOM.nextBytes(iv);
        byte[] plain = key.getEncoded();
        try {
            Cipher c = Cipher.getInstance(WRITE_ALGORITHM, Providers.sunJce());
            c.init(Cipher.ENCRYPT_MODE, pbeKey(WRITE_ALGORITHM, passphrase), new PBEParameterSpec(salt, ITERATIONS, new IvParameterSpec(iv)));
            byte[] ciphertext = c.doFinal(plain);
            AlgorithmIdentifier alg = new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2,
                    PBES2Parameters.getInstance(c.getParameters().getEncoded()));
            byte[] der = new EncryptedPrivateKeyInfo(alg, ciphertext).getEncoded(ASN1Encoding.DER);
            StringWriter out = new StringWriter();
            try (PemWriter w = new PemWriter(out)) {
                w.writeObject(new PemObject(PEM_TYPE, der));
            }
            return out.toString().getBytes(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot encrypt a private key", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * @param pem the file's bytes
     * @param passphrase the passphrase; not retained
     * @return the private key
     * @throws IOException if the bytes are not an encrypted PKCS#8 PEM key with acceptable parameters
     * @throws WrongPassphraseException if the key does not decrypt (wrong passphrase or damaged file)
     */
    static PrivateKey decrypt(byte[] pem, char[] passphrase) throws IOException, WrongPassphraseException {
        byte[] der = pemBody(pem);
        javax.crypto.EncryptedPrivateKeyInfo info;
        try {
            checkParameters(EncryptedPrivateKeyInfo.getInstance(der).getEncryptionAlgorithm());
            info = new javax.crypto.EncryptedPrivateKeyInfo(der);
        } catch (IOException | RuntimeException e) {
            throw new IOException(e instanceof UnsupportedKeyEncryption ? e.getMessage() : "malformed encrypted private key", e);
        }
        PKCS8EncodedKeySpec spec;
        try {
            Cipher c = Cipher.getInstance(info.getAlgName(), Providers.sunJce());
            c.init(Cipher.DECRYPT_MODE, pbeKey(info.getAlgName(), passphrase), info.getAlgParameters());
            spec = info.getKeySpec(c);
        } catch (NoSuchAlgorithmException e) {
            throw new IOException("unsupported key encryption " + info.getAlgName(), e);
        } catch (GeneralSecurityException e) {
            throw new WrongPassphraseException(e);
        }
        try {
            return KeyFactory.getInstance(spec.getAlgorithm()).generatePrivate(spec);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new WrongPassphraseException(e);
        }
    }

    private static SecretKey pbeKey(String algorithm, char[] passphrase) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(passphrase);
        try {
            return SecretKeyFactory.getInstance(algorithm, Providers.sunJce()).generateSecret(spec);
        } catch (InvalidKeySpecException e) {
            throw new GeneralSecurityException("passphrase not usable", e);
        } finally {
            spec.clearPassword();
        }
    }

    private static byte[] pemBody(byte[] pem) throws IOException {
        PemObject o;
        try (PemReader r = new PemReader(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
            o = r.readPemObject();
        } catch (IOException | RuntimeException e) {
            throw new IOException("malformed PEM key", e);
        }
        if (o == null) {
            throw new IOException("no PEM key found");
        }
        if (!PEM_TYPE.equals(o.getType())) {
            throw new IOException("not an encrypted PKCS#8 private key (PEM type " + o.getType() + ")");
        }
        return o.getContent();
    }

    private static void checkParameters(AlgorithmIdentifier alg) throws UnsupportedKeyEncryption {
        if (!PKCSObjectIdentifiers.id_PBES2.equals(alg.getAlgorithm())) {
            throw new UnsupportedKeyEncryption("unsupported key encryption " + alg.getAlgorithm().getId() + " (PBES2 required)");
        }
        PBES2Parameters p = PBES2Parameters.getInstance(alg.getParameters());
        if (!PKCSObjectIdentifiers.id_PBKDF2.equals(p.getKeyDerivationFunc().getAlgorithm())) {
            throw new UnsupportedKeyEncryption("unsupported key derivation " + p.getKeyDerivationFunc().getAlgorithm().getId() + " (PBKDF2 required)");
        }
        PBKDF2Params kdf = PBKDF2Params.getInstance(p.getKeyDerivationFunc().getParameters());
        BigInteger n = kdf.getIterationCount();
        if (n.signum() <= 0 || n.compareTo(BigInteger.valueOf(MAX_ITERATIONS)) > 0) {
            throw new UnsupportedKeyEncryption("PBKDF2 iteration count out of range (1 to " + MAX_ITERATIONS + ")");
        }
        if (!PRFS.contains(kdf.getPrf().getAlgorithm()) || !CIPHERS.contains(p.getEncryptionScheme().getAlgorithm())) {
            throw new UnsupportedKeyEncryption("unsupported key encryption (PBKDF2-HMAC-SHA1/SHA-2 with AES-CBC required)");
        }
    }

    /** A well-formed key file whose parameters sealpost does not accept. */
    private static final class UnsupportedKeyEncryption extends IOException {
        private static final long serialVersionUID = 1L;

        UnsupportedKeyEncryption(String message) {
            super(message);
        }
    }
}
