package dev.sealpost.relay;

import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.MfaEnrollment;
import dev.sealpost.protocol.RecoveryCodes;
import dev.sealpost.protocol.Totp;
import dev.sealpost.relay.store.MetadataStore;
import dev.sealpost.relay.store.MfaRecord;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.util.encoders.Base32;

/**
 * The second factor: TOTP (RFC 6238, HMAC-SHA-1, 6 digits, 30 s, one step either side) and ten
 * single-use recovery codes.
 *
 * <ul>
 *   <li>Enrolment: {@link #begin} makes a 160-bit secret, kept encrypted ({@link SecretBox});
 *       {@link #confirm} puts it in force once the app shows a matching code, and returns the
 *       recovery codes, which the relay keeps only as SHA-256 (each holds 80 random bits, so a
 *       fast hash is enough: no guessing them from a stolen database).</li>
 *   <li>Login: after the password, {@link #check} needs a code. A time step is accepted once
 *       (RFC 6238 §5.2): the same code again, or an older one, is refused, atomically in the
 *       store. The callers count every code tried against {@link RateLimit#MFA}.</li>
 *   <li>{@link #disable} needs a valid code too.</li>
 * </ul>
 */
final class MfaManager {
    static final int RECOVERY_CODES = 10;
    static final String WRONG_CODE = "wrong or expired code";
    static final String USED_CODE = "that code was used already: wait for the next one (RFC 6238 §5.2)";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MetadataStore store;
    private final SecretBox box;
    private final String issuer;
    private final Clock clock;

    /** @param issuer the name authenticator apps show for the codes, e.g. {@code sealpost relay.example} */
    MfaManager(MetadataStore store, SecretBox box, String issuer, Clock clock) {
        this.store = store;
        this.box = box;
        this.issuer = issuer;
        this.clock = clock;
    }

    /**
     * Starts enrolment with a new secret (an earlier unconfirmed one is replaced).
     *
     * @throws ApiError.Conflict if the account has a second factor in force
     */
    MfaEnrollment begin(String account) {
        byte[] secret = new byte[Totp.SECRET_BYTES];
        RANDOM.nextBytes(secret);
        try {
            if (!store.beginMfa(new MfaRecord(account, box.seal(secret, account), false, -1,
                    clock.instant().truncatedTo(ChronoUnit.MILLIS)))) {
                throw new ApiError.Conflict("a second factor is on already; turn it off first (sealpost mfa disable)");
            }
            String base32 = Base32.toBase32String(secret).replace("=", "");
            String uri = "otpauth://totp/" + enc(issuer) + ":" + enc(account) + "?secret=" + base32 + "&issuer=" + enc(issuer)
                    + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.STEP_SECONDS;
            return new MfaEnrollment(base32, uri);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /**
     * Puts the enrolment in force with a code from the app.
     *
     * @return the recovery codes, shown once
     * @throws ApiError.Conflict   if nothing is being enrolled (or it is in force already)
     * @throws ApiError.BadRequest if the code does not match
     */
    RecoveryCodes confirm(String account, String code) {
        MfaRecord m = store.mfa(account).orElseThrow(() -> new ApiError.Conflict("no second factor being set up: "
                + "start with sealpost mfa enable"));
        if (m.confirmed()) {
            throw new ApiError.Conflict("the second factor is on already");
        }
        long step = match(m, code);
        if (step < 0) {
            throw new ApiError.BadRequest(WRONG_CODE);
        }
        List<String> codes = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < RECOVERY_CODES; i++) {
            byte[] raw = new byte[10];
            RANDOM.nextBytes(raw);
            String plain = Base32.toBase32String(raw).toLowerCase(Locale.ROOT);
            codes.add(plain.substring(0, 4) + "-" + plain.substring(4, 8) + "-" + plain.substring(8, 12) + "-" + plain.substring(12));
            hashes.add(hash(plain));
        }
        if (!store.confirmMfa(account, step, hashes)) {
            throw new ApiError.Conflict("the second factor changed meanwhile: start again with sealpost mfa enable");
        }
        return new RecoveryCodes(codes);
    }

    /** @return whether logins of {@code account} need a code */
    boolean required(String account) {
        return store.mfa(account).map(MfaRecord::confirmed).orElse(false);
    }

    /**
     * The second step of a login whose password was right.
     *
     * @param otp a 6-digit code or a recovery code, or null
     * @throws ApiError.Unauthorized {@link Api#SECOND_FACTOR_REQUIRED} without a code, or
     *                               {@link #WRONG_CODE} / {@link #USED_CODE}
     */
    void check(String account, String otp) {
        if (otp == null || otp.isBlank()) {
            throw new ApiError.Unauthorized(Api.SECOND_FACTOR_REQUIRED, false);
        }
        if (!accept(account, otp)) {
            throw new ApiError.Unauthorized(lastFailure(account, otp), false);
        }
    }

    /**
     * Turns the second factor off.
     *
     * @throws ApiError.Conflict   if it is not on
     * @throws ApiError.BadRequest if the code (or recovery code) is not valid
     */
    void disable(String account, String otp) {
        if (!required(account)) {
            throw new ApiError.Conflict("no second factor is on");
        }
        if (otp == null || !accept(account, otp)) {
            throw new ApiError.BadRequest(otp == null ? "give a code from your authenticator app or a recovery code"
                    : lastFailure(account, otp));
        }
        store.deleteMfa(account);
    }

    /** @return true if {@code otp} is a current, unused TOTP code or an unused recovery code; it is used up now */
    private boolean accept(String account, String otp) {
        String code = otp.strip();
        MfaRecord m = store.mfa(account).filter(MfaRecord::confirmed).orElse(null);
        if (m == null) {
            return false;
        }
        if (code.matches("[0-9]{" + Totp.DIGITS + "}")) {
            long step = match(m, code);
            return step >= 0 && store.acceptMfaStep(account, step);
        }
        String normalised = code.toLowerCase(Locale.ROOT).replaceAll("[\\s-]", "");
        return normalised.matches("[a-z2-7]{16}") && store.useRecoveryCode(account, hash(normalised), clock.instant());
    }

    /** Why a code failed, for the one-line error: reused (a match at or before the last accepted step) or wrong. */
    private String lastFailure(String account, String otp) {
        MfaRecord m = store.mfa(account).orElse(null);
        return m != null && otp.strip().matches("[0-9]{" + Totp.DIGITS + "}") && match(m, otp.strip()) >= 0 ? USED_CODE : WRONG_CODE;
    }

    private long match(MfaRecord m, String code) {
        byte[] secret = box.open(m.secret(), m.account());
        try {
            return Totp.match(secret, code == null ? null : code.strip(), clock.instant());
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private static String hash(String normalisedCode) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(normalisedCode.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
