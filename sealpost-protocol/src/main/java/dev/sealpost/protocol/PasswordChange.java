package dev.sealpost.protocol;

/**
 * Body of {@code POST /v1/password}.
 *
 * @param oldPassword the current password
 * @param newPassword the new one (8 to 1,024 characters)
 */
public record PasswordChange(String oldPassword, String newPassword) {
    @Override
    public String toString() {
        return "PasswordChange[REDACTED]";
    }
}
