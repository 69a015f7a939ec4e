package dev.sealpost.testkit;

import org.bouncycastle.util.encoders.Base32;

/** What a test needs of an authenticator app: the secret behind the base32 text the relay hands out. */
public final class Authenticator {
    private Authenticator() {}

    /**
     * @param base32 a TOTP secret as the Key Uri Format carries it: RFC 4648 base32, padding left out
     * @return the secret's bytes
     */
    public static byte[] secret(String base32) {
        return Base32.decode(base32 + "=".repeat((8 - base32.length() % 8) % 8));
    }
}
