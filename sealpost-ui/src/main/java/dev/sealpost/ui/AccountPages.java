package dev.sealpost.ui;

import dev.sealpost.client.Contacts;
import dev.sealpost.client.RelayProfile;
import dev.sealpost.client.SafetyNumber;
import dev.sealpost.client.SealpostHome;
import dev.sealpost.client.relay.RelayClient;
import dev.sealpost.client.relay.RelayException;
import dev.sealpost.crypto.Fingerprint;
import dev.sealpost.crypto.Pem;
import dev.sealpost.crypto.PublicIdentity;
import dev.sealpost.protocol.KeyBundle;
import dev.sealpost.protocol.SessionResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The Account and Contacts screens' routes: what the CLI's {@code whoami}, {@code login} and
 * {@code contacts} show and do, over the same client classes and the same files in
 * {@code $SEALPOST_HOME}.
 */
final class AccountPages {
    private final SealpostHome home;
    private final PublicIdentity me;
    private final Clock clock;

    AccountPages(SealpostHome home, PublicIdentity me, Clock clock) {
        this.home = home;
        this.me = me;
        this.clock = clock;
    }

    /** {@code GET /api/account}: the relay this identity uses and whether a session is valid. */
    void account(Context ctx) throws IOException {
        Optional<RelayProfile> relay = RelayProfile.load(home);
        Optional<RelayProfile.Session> session = RelayProfile.Session.load(home);
        boolean loggedIn = session.isPresent() && session.get().expiresAt().isAfter(clock.instant());
        ctx.json(new UiJson.Account(me.name(), me.signingFingerprint().toString(), me.encryptionFingerprint().toString(),
                relay.map(RelayProfile::url).orElse(null), relay.map(RelayProfile::fingerprint).orElse(null),
                relay.isPresent() && loggedIn, loggedIn ? session.get().expiresAt().toString() : null));
    }

    /**
     * {@code POST /api/login}: a new session with the account password (as {@code sealpost
     * login}), kept in {@code $SEALPOST_HOME}, and the identity's certificates published again.
     */
    void login(Context ctx) throws IOException {
        UiJson.LoginRequest request = ctx.bodyAsClass(UiJson.LoginRequest.class);
        Optional<RelayProfile> relay = RelayProfile.load(home);
        if (relay.isEmpty()) {
            problem(ctx, HttpStatus.CONFLICT, "no relay configured: run sealpost register --relay URL --relay-fingerprint SHA256:... first");
            return;
        }
        if (request.password() == null || request.password().isEmpty()) {
            problem(ctx, HttpStatus.BAD_REQUEST, "enter your account password");
            return;
        }
        char[] password = request.password().toCharArray();
        char[] otp = request.otp() == null || request.otp().isBlank() ? null : request.otp().strip().toCharArray();
        try {
            RelayClient client = relay.get().connect(home);
            SessionResponse session = client.accounts().login(me.name(), password, otp);
            new RelayProfile.Session(session.token(), session.expiresAt()).save(home);
            client.withToken(session.token()).accounts().publishKeys(new KeyBundle(me.name(),
                    Pem.encodeCertificate(me.signingCertificate()), Pem.encodeCertificate(me.encryptionCertificate())));
            ctx.status(HttpStatus.NO_CONTENT);
        } catch (RelayException.Refused e) {
            problem(ctx, e.is(401) ? HttpStatus.UNAUTHORIZED : HttpStatus.BAD_GATEWAY, e.getMessage());
        } catch (RelayException e) { // unreachable, rate-limited, or a certificate that is not the pinned one
            problem(ctx, HttpStatus.BAD_GATEWAY, e.getMessage());
        } finally {
            Arrays.fill(password, '\0');
            if (otp != null) {
                Arrays.fill(otp, '\0');
            }
        }
    }

    /**
     * {@code POST /api/contacts/{name}/trust}: pins the contact's certificates the relay offers
     * now, after the user compared their signing fingerprint with the contact (as
     * {@code sealpost contacts trust NAME --fingerprint ...}). The relay's offer must still have
     * the fingerprint the page showed, or nothing changes.
     */
    void trust(Context ctx) throws IOException {
        UiJson.TrustRequest request = ctx.bodyAsClass(UiJson.TrustRequest.class);
        String name = ctx.pathParam("name");
        Optional<RelayProfile> relay = RelayProfile.load(home);
        Optional<RelayProfile.Session> session = RelayProfile.Session.load(home);
        if (relay.isEmpty() || session.isEmpty() || !session.get().expiresAt().isAfter(clock.instant())) {
            problem(ctx, HttpStatus.CONFLICT, "not logged in to a relay: log in on the Account screen");
            return;
        }
        Fingerprint expected;
        try {
            expected = Fingerprint.parse(request.fingerprint() == null ? "" : request.fingerprint());
        } catch (IllegalArgumentException e) {
            problem(ctx, HttpStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        try {
            RelayClient client = relay.get().connect(home).withToken(session.get().token());
            Contacts.load(home).trust(client.accounts().keys(name), expected);
            ctx.status(HttpStatus.NO_CONTENT);
        } catch (Contacts.KeyChangedException e) {
            problem(ctx, HttpStatus.CONFLICT, e.getMessage());
        } catch (RelayException e) {
            problem(ctx, e.is(404) ? HttpStatus.NOT_FOUND : HttpStatus.BAD_GATEWAY, e.getMessage());
        }
    }

    /** {@code GET /api/contacts}: pinned contacts with their signing fingerprints, sorted by name. */
    /**
     * {@code GET /api/fingerprint.svg}: a QR code of this identity's name and signing
     * fingerprint, {@code sealpost:NAME?signing=SHA256:HEX}, for a contact to scan and compare.
     */
    void fingerprintQr(Context ctx) {
        ctx.contentType("image/svg+xml").result(QrCode.svg(qrText(me)));
    }

    /** @return what the fingerprint QR code holds for {@code id} */
    static String qrText(PublicIdentity id) {
        return "sealpost:" + id.name() + "?signing=" + id.signingFingerprint();
    }

    void contacts(Context ctx) throws IOException {
        Contacts contacts = Contacts.load(home);
        List<UiJson.Contact> list = new ArrayList<>();
        for (String name : contacts.names()) {
            Optional<PublicIdentity> id = contacts.get(name);
            if (id.isPresent()) {
                list.add(new UiJson.Contact(name, id.get().signingFingerprint().toString(), contacts.isVerified(name),
                        SafetyNumber.of(me.signingFingerprint(), id.get().signingFingerprint()).toString()));
            }
        }
        ctx.json(list);
    }

    private static void problem(Context ctx, HttpStatus status, String message) {
        ctx.status(status).json(new UiJson.Problem(message));
    }
}
