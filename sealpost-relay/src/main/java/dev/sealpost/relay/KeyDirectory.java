package dev.sealpost.relay;

import dev.sealpost.crypto.OrganisationTrust;
import dev.sealpost.crypto.Pem;
import dev.sealpost.protocol.KeyBundle;
import dev.sealpost.relay.store.KeyRecord;
import dev.sealpost.relay.store.MetadataStore;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The key directory: each account publishes its two certificates; any authenticated caller
 * reads them. The relay checks that they are X.509 certificates and stores them re-encoded
 * as PEM; whether to trust them is the receiver's decision (pinning or a CA).
 */
final class KeyDirectory {
    private final MetadataStore store;
    private final Clock clock;
    private final OrganisationTrust trust;

    /** @param trust the organisation CA whose certificates alone are accepted, or null for any */
    KeyDirectory(MetadataStore store, Clock clock, OrganisationTrust trust) {
        this.store = store;
        this.clock = clock;
        this.trust = trust;
    }

    /**
     * Publishes or replaces the caller's certificates.
     *
     * @throws ApiError.BadRequest if the bundle names another account or a certificate does not parse
     * @throws ApiError.Forbidden  on a relay with an organisation CA, if the certificates do not
     *                             chain to it, name another account, or are revoked
     */
    void publish(String caller, KeyBundle bundle) {
        if (bundle.name() == null) {
            throw new ApiError.BadRequest("missing name in key bundle");
        }
        if (!bundle.name().equals(caller)) {
            throw new ApiError.BadRequest("a key bundle can only be published for your own account '" + caller + "'");
        }
        String signing = normalize("signingCertificate", bundle.signingCertificate());
        String encryption = normalize("encryptionCertificate", bundle.encryptionCertificate());
        checkIssuer(caller, signing, encryption);
        store.putKeys(new KeyRecord(caller, signing, encryption, clock.instant().truncatedTo(ChronoUnit.MILLIS)));
    }

    /**
     * @throws ApiError.BadRequest if {@code name} is not a valid account name
     * @throws ApiError.NotFound   if the account is unknown or has published nothing
     */
    KeyBundle lookup(String name) {
        Names.require(name);
        Optional<KeyRecord> keys = store.keys(name);
        if (keys.isPresent()) {
            KeyRecord k = keys.get();
            return new KeyBundle(k.name(), k.signingCertificate(), k.encryptionCertificate());
        }
        if (store.accountExists(name)) {
            throw new ApiError.NotFound("no keys published for " + name);
        }
        throw new ApiError.NotFound("unknown account: " + name);
    }

    /**
     * On a relay with an organisation CA: the certificates must chain to it for {@code name}.
     *
     * @throws ApiError.BadRequest if there are none (a registration without keys)
     * @throws ApiError.Forbidden  if they do not qualify
     */
    void checkIssuer(String name, String signingPem, String encryptionPem) {
        if (trust == null) {
            return;
        }
        if (signingPem == null || encryptionPem == null) {
            throw new ApiError.BadRequest("this relay accepts only certificates from its organisation CA: register with them");
        }
        try {
            trust.check(name, Pem.decodeCertificate(signingPem), Pem.decodeCertificate(encryptionPem));
        } catch (IOException | CertificateException e) {
            throw new ApiError.Forbidden("refused: " + e.getMessage());
        }
    }

    /** @return whether this relay accepts only an organisation CA's certificates */
    boolean requiresCa() {
        return trust != null;
    }

    private static String normalize(String field, String pem) {
        if (pem == null || pem.isBlank()) {
            throw new ApiError.BadRequest("missing " + field + " in key bundle");
        }
        try {
            return Pem.encodeCertificate(Pem.decodeCertificate(pem));
        } catch (IOException e) {
            throw new ApiError.BadRequest(field + ": " + e.getMessage());
        }
    }
}
