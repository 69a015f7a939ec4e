package dev.sealpost.crypto;

import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The JCA providers sealpost uses, passed explicitly; the global provider list is never changed.
 *
 * <p>Bulk symmetric work (AES-GCM, SHA-256 over content) runs on the JDK, whose AES-NI and SHA-NI
 * intrinsics are an order of magnitude faster than Bouncy Castle's Java code (DESIGN §3).
 * Bouncy Castle is used for CMS key transport and agreement, signatures over signed attributes,
 * PBES2 and the algorithms the JDK lacks (the X9.63 KDF of RFC 5753).
 */
final class Providers {
    private Providers() {}

    /** One shared source of randomness; the JDK's default {@code SecureRandom} is thread-safe. */
    static final SecureRandom RANDOM = new SecureRandom();

    /** @return the Bouncy Castle provider instance, created once, never registered globally */
    static Provider bc() {
        return Holder.BC;
    }

    /** @return the JDK's SunJCE provider (AES-GCM, AES-CBC, HMAC, PBKDF2) */
    static Provider sunJce() {
        Provider p = Security.getProvider("SunJCE");
        if (p == null) {
            throw new IllegalStateException("the JDK's SunJCE provider is missing");
        }
        return p;
    }

    private static final class Holder {
        static final Provider BC = new BouncyCastleProvider();
    }
}
