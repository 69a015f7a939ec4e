package dev.sealpost.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TotpTest {
    /** RFC 6238 Appendix B: the SHA-1 seed, ASCII "12345678901234567890". */
    static final byte[] SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @Test
    void rfc6238AppendixB_sha1Vectors() {
        long[] times = {59L, 1111111109L, 1111111111L, 1234567890L, 2000000000L, 20000000000L};
        String[] codes = {"94287082", "07081804", "14050471", "89005924", "69279037", "65353130"};
        for (int i = 0; i < times.length; i++) {
            assertEquals(codes[i], Totp.code(SEED, Totp.step(Instant.ofEpochSecond(times[i])), 8), "T = " + times[i]);
        }
    }

    @Test
    void sixDigits_areTheLastSixOfTheEightDigitCode() {
        // the truncation is mod 10^digits of the same 31-bit value (RFC 4226 §5.3)
        assertEquals("287082", Totp.code(SEED, Totp.step(Instant.ofEpochSecond(59)), 6));
    }

    @Test
    void match_acceptsOneStepEitherSide_andNothingElse() {
        Instant now = Instant.ofEpochSecond(1111111111L);
        long step = Totp.step(now);
        for (long s = step - 1; s <= step + 1; s++) {
            assertEquals(s, Totp.match(SEED, Totp.code(SEED, s, 6), now));
        }
        assertEquals(-1, Totp.match(SEED, Totp.code(SEED, step - 2, 6), now));
        assertEquals(-1, Totp.match(SEED, Totp.code(SEED, step + 2, 6), now));
        assertEquals(-1, Totp.match(SEED, "12345", now));
        assertEquals(-1, Totp.match(SEED, "abcdef", now));
        assertEquals(-1, Totp.match(SEED, null, now));
    }
}
