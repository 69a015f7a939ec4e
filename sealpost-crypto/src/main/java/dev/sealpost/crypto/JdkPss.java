package dev.sealpost.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.security.spec.PSSParameterSpec;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.RuntimeOperatorException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * RSASSA-PSS (RFC 8017 §8.1; in CMS, RFC 4056) on the JDK's {@code SunRsaSign} provider, for
 * Bouncy Castle's CMS signer and verifier.
 *
 * <p>Bouncy Castle's JCA operators look a PSS signature up as {@code SHA256WITHRSAANDMGF1},
 * a name only the Bouncy Castle provider knows; the JDK offers the same scheme as
 * {@code RSASSA-PSS} with its parameters set explicitly. Using the JDK here spares every command
 * the construction of the Bouncy Castle provider and its primality test of each RSA modulus it
 * meets (together 0.1 to 0.2 s in a fresh JVM). The AlgorithmIdentifier written is the one Bouncy
 * Castle writes, so messages are unchanged.
 */
final class JdkPss {
    private JdkPss() {}

    /** RSASSA-PSS-params for SHA-256, MGF1-SHA-256, 32-byte salt, trailer field 1, as Bouncy Castle encodes them. */
    private static final AlgorithmIdentifier PSS_SHA256 =
            new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withRSAandMGF1");

    /**
     * @param key an RSA private key
     * @param spec the PSS parameters; must be SHA-256, MGF1-SHA-256, 32-byte salt, trailer 1
     * @return a signer writing {@code id-RSASSA-PSS} with those parameters
     * @throws OperatorCreationException if the JDK refuses the key or the parameters
     */
    static ContentSigner signer(PrivateKey key, PSSParameterSpec spec) throws OperatorCreationException {
        Signature sig;
        try {
            sig = Signature.getInstance("RSASSA-PSS", "SunRsaSign");
            sig.initSign(key, Providers.RANDOM);
            sig.setParameter(spec);
        } catch (GeneralSecurityException e) {
            throw new OperatorCreationException("cannot create an RSASSA-PSS signer: " + e.getMessage(), e);
        }
        OutputStream stream = new SignatureStream(sig);
        return new ContentSigner() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return PSS_SHA256;
            }

            @Override
            public OutputStream getOutputStream() {
                return stream;
            }

            @Override
            public byte[] getSignature() {
                try {
                    return sig.sign();
                } catch (SignatureException e) {
                    throw new RuntimeOperatorException("RSASSA-PSS signing failed: " + e.getMessage(), e);
                }
            }
        };
    }

    /**
     * @param cert the certificate whose key verifies; also checked against the signing time by
     *     Bouncy Castle's {@code SignerInformation.verify}
     * @return verifiers from the JDK's providers: RSASSA-PSS as above, every other algorithm
     *     through Bouncy Castle's JCA lookup on the JDK's default providers
     * @throws OperatorCreationException if the certificate cannot be used
     */
    static ContentVerifierProvider verifiers(X509Certificate cert) throws OperatorCreationException {
        ContentVerifierProvider others = new JcaContentVerifierProviderBuilder().build(cert);
        return new ContentVerifierProvider() {
            @Override
            public boolean hasAssociatedCertificate() {
                return others.hasAssociatedCertificate();
            }

            @Override
            public X509CertificateHolder getAssociatedCertificate() {
                return others.getAssociatedCertificate();
            }

            @Override
            public ContentVerifier get(AlgorithmIdentifier alg) throws OperatorCreationException {
                if (!PKCSObjectIdentifiers.id_RSASSA_PSS.equals(alg.getAlgorithm())) {
                    return others.get(alg);
                }
                Signature sig;
                try {
                    AlgorithmParameters params = AlgorithmParameters.getInstance("RSASSA-PSS", "SunRsaSign");
                    params.init(alg.getParameters().toASN1Primitive().getEncoded(ASN1Encoding.DER));
                    sig = Signature.getInstance("RSASSA-PSS", "SunRsaSign");
                    sig.initVerify(cert.getPublicKey());
                    sig.setParameter(params.getParameterSpec(PSSParameterSpec.class));
                } catch (GeneralSecurityException | IOException | RuntimeException e) {
                    throw new OperatorCreationException("cannot verify RSASSA-PSS with these parameters: " + e.getMessage(), e);
                }
                OutputStream stream = new SignatureStream(sig);
                return new ContentVerifier() {
                    @Override
                    public AlgorithmIdentifier getAlgorithmIdentifier() {
                        return alg;
                    }

                    @Override
                    public OutputStream getOutputStream() {
                        return stream;
                    }

                    @Override
                    public boolean verify(byte[] signature) {
                        try {
                            return sig.verify(signature);
                        } catch (SignatureException e) {
                            return false; // malformed signature bytes: it does not verify
                        }
                    }
                };
            }
        };
    }

    /** Feeds written bytes to a {@link Signature}. */
    private static final class SignatureStream extends OutputStream {
        private final Signature sig;

        SignatureStream(Signature sig) {
            this.sig = sig;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                sig.update((byte) b);
            } catch (SignatureException e) {
                throw new IOException(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                sig.update(b, off, len);
            } catch (SignatureException e) {
                throw new IOException(e);
            }
        }
    }
}
