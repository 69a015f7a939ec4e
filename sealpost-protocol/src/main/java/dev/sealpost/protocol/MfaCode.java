package dev.sealpost.protocol;

/**
 * Body of {@code POST /v1/mfa/confirm} and {@code DELETE /v1/mfa}.
 *
 * @param code the current 6-digit code of the authenticator app; for {@code DELETE}, a recovery
 *             code also works
 */
public record MfaCode(String code) {
    @Override
    public String toString() {
        return "MfaCode[REDACTED]";
    }
}
