package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.crypto.AtomicFiles;
import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.LoginRequest;
import dev.sealpost.protocol.MfaCode;
import dev.sealpost.protocol.MfaEnrollment;
import dev.sealpost.protocol.RecoveryCodes;
import dev.sealpost.protocol.Totp;
import dev.sealpost.testkit.Authenticator;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.Test;

/** The second factor on a real relay: enrolment, login with a code, replay, recovery codes, limits, and the secret at rest. */
class MfaTest extends RelayTestBase {
    static final String PASSWORD = "password of alice";

    private String token;
    private byte[] secret;

    /** alice registers, logs in and enrols; @return her recovery codes */
    private RecoveryCodes enrol() {
        token = client.account("alice");
        HttpResponse<String> begun = client.send(client.request(Api.MFA, token).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, begun.statusCode(), begun.body());
        MfaEnrollment e = client.read(begun, MfaEnrollment.class);
        secret = Authenticator.secret(e.secret());
        assertEquals(20, secret.length, "160 bits");
        assertTrue(e.uri().startsWith("otpauth://totp/sealpost%20127.0.0.1:alice?secret=" + e.secret() + "&issuer=sealpost%20127.0.0.1"),
                e.uri());
        assertTrue(e.uri().endsWith("&algorithm=SHA1&digits=6&period=30"), e.uri());

        HttpResponse<String> wrong = confirm(otherThan(code(0)));
        assertEquals(400, wrong.statusCode());
        assertEquals(MfaManager.WRONG_CODE, client.error(wrong));
        assertEquals(200, login(null).statusCode(), "not in force until confirmed");
        HttpResponse<String> confirmed = confirm(code(0));
        assertEquals(200, confirmed.statusCode(), confirmed.body());
        RecoveryCodes codes = client.read(confirmed, RecoveryCodes.class);
        assertEquals(10, codes.codes().size());
        assertEquals(10, codes.codes().stream().distinct().count());
        codes.codes().forEach(c -> assertTrue(c.matches("[a-z2-7]{4}(-[a-z2-7]{4}){3}"), c));
        clock.advance(Duration.ofMinutes(15)); // the two codes tried here refill (RateLimit.MFA)
        return codes;
    }

    private String code(int stepsFromNow) {
        return Totp.code(secret, Totp.step(clock.instant()) + stepsFromNow, 6);
    }

    private static String otherThan(String code) {
        return String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
    }

    private HttpResponse<String> confirm(String code) {
        return client.send(client.request(Api.MFA_CONFIRM, token).header("Content-Type", "application/json")
                .POST(client.jsonBody(new MfaCode(code))).build());
    }

    private HttpResponse<String> disable(String code) {
        return client.send(client.request(Api.MFA, token).header("Content-Type", "application/json")
                .method("DELETE", client.jsonBody(new MfaCode(code))).build());
    }

    private HttpResponse<String> login(String otp) {
        return client.postJson(Api.SESSIONS, new LoginRequest("alice", PASSWORD, otp));
    }

    @Test
    void login_needsACurrentCode_once() {
        enrol();
        HttpResponse<String> none = login(null);
        assertEquals(401, none.statusCode());
        assertEquals(Api.SECOND_FACTOR_REQUIRED, client.error(none));
        HttpResponse<String> wrongPassword = client.postJson(Api.SESSIONS, new LoginRequest("alice", "not it at all", code(0)));
        assertEquals(AccountsManager.WRONG_CREDENTIALS, client.error(wrongPassword), "the password is checked first");
        assertEquals(MfaManager.WRONG_CODE, client.error(login(otherThan(code(0)))));
        assertEquals(MfaManager.WRONG_CODE, client.error(login(code(-2))), "a minute old: too old");

        String now = code(0);
        assertEquals(200, login(now).statusCode());
        HttpResponse<String> again = login(now);
        assertEquals(401, again.statusCode(), "a code works once (RFC 6238 §5.2)");
        assertEquals(MfaManager.USED_CODE, client.error(again));
        assertEquals(MfaManager.USED_CODE, client.error(login(code(-1))), "nor an older one, still in the window");
        clock.advance(Duration.ofMinutes(3)); // five codes tried: one more try after 3 minutes
        assertEquals(200, login(code(0)).statusCode(), "a later code");
    }

    @Test
    void aRecoveryCode_worksOnce_inAnySpelling() {
        RecoveryCodes codes = enrol();
        String first = codes.codes().getFirst();
        assertEquals(200, login(" " + first.toUpperCase().replace("-", " ") + " ").statusCode());
        assertEquals(401, login(first).statusCode(), "used");
        assertEquals(200, login(codes.codes().get(1)).statusCode());
    }

    @Test
    void codes_areRateLimitedPerAccount_andTheOwnerWaitsMinutesNotHours() {
        enrol();
        String wrong = otherThan(code(0));
        for (int i = 0; i < 5; i++) {
            assertEquals(401, login(wrong).statusCode());
        }
        HttpResponse<String> limited = login(code(0));
        assertEquals(429, limited.statusCode(), "even the right code waits: the limit counts tries, not failures");
        long retry = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retry > 0 && retry <= 180, "Retry-After " + retry);
        clock.advance(Duration.ofSeconds(retry));
        assertEquals(200, login(code(0)).statusCode());
    }

    @Test
    void disable_needsAValidCode_thenLoginsNeedNone() {
        RecoveryCodes codes = enrol();
        HttpResponse<String> wrong = disable(otherThan(code(0)));
        assertEquals(400, wrong.statusCode());
        assertEquals(401, login(null).statusCode(), "still on");
        assertEquals(204, disable(codes.codes().get(3)).statusCode(), "a recovery code turns it off too");
        assertEquals(200, login(null).statusCode());
        assertEquals(409, disable(code(0)).statusCode(), "nothing to turn off");
        // enrolling again starts over, with new recovery codes
        HttpResponse<String> begun = client.send(client.request(Api.MFA, token).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, begun.statusCode());
    }

    @Test
    void theSecret_isNotStoredInTheClear_andTheKeyIsPrivate() throws Exception {
        RecoveryCodes codes = enrol();
        String base32 = Base32.toBase32String(secret).replace("=", "");
        String hex = HexFormat.of().formatHex(secret);
        List<String> needles = Stream.concat(Stream.of(base32, base32.toLowerCase(), hex),
                codes.codes().stream().flatMap(c -> Stream.of(c, c.replace("-", "")))).toList();
        relay.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(f);
                String text = new String(bytes, StandardCharsets.ISO_8859_1);
                for (String n : needles) {
                    assertFalse(text.contains(n), f + " holds a secret in the clear");
                }
                assertFalse(indexOf(bytes, secret) >= 0, f + " holds the raw secret");
            }
        }
        assertFalse(AtomicFiles.readableByOthers(dataDir.resolve("tls").resolve("secrets.key")));
        assertEquals(32, Files.size(dataDir.resolve("tls").resolve("secrets.key")));
        relay = null;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
