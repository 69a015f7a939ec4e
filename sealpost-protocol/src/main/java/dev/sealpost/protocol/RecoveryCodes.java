package dev.sealpost.protocol;

import java.util.List;

/**
 * Answer to {@code POST /v1/mfa/confirm}: the second factor is on, and these single-use codes
 * log in without the app. They are shown this once; the relay keeps only their SHA-256.
 *
 * @param codes ten codes of 16 base32 characters in groups of four ({@code abcd-efgh-ijkl-mnop}),
 *              80 random bits each
 */
public record RecoveryCodes(List<String> codes) {
    @Override
    public String toString() {
        return "RecoveryCodes[REDACTED]";
    }
}
