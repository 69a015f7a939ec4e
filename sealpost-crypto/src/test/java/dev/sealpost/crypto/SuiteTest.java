package dev.sealpost.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SuiteTest {

    @Test
    void parse_knownNamesAnyCase_returnSuite() {
        assertEquals(Suite.RSA, Suite.parse("rsa"));
        assertEquals(Suite.RSA, Suite.parse(" RSA "));
        assertEquals(Suite.P256, Suite.parse("p256"));
        assertEquals(Suite.P256, Suite.parse("P256"));
        assertEquals(Suite.P256, Suite.parse("P-256"));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void parse_id_roundTrips(Suite suite) {
        assertEquals(suite, Suite.parse(suite.id()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ed25519", "rsa2048", "p384", "line\nbreak"})
    void parse_unknownName_failsWithOneLineMessage(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Suite.parse(name));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void parse_null_failsWithIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> Suite.parse(null));
    }
}
