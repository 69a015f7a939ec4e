package dev.sealpost.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.relay.RateLimit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sealpost relay --limit NAME=PERMITS/PERIOD}, on the command line and from an options file. */
class RelayLimitsTest {
    @Test
    void parses_everyLimitByItsName() {
        assertEquals(Map.entry(RateLimit.REGISTRATION, new RateLimit.Limit(100, Duration.ofHours(1))),
                RelayCommand.parseLimit("registration=100/1h"));
        assertEquals(Map.entry(RateLimit.LOGIN_ADDRESS, new RateLimit.Limit(300, Duration.ofMinutes(15))),
                RelayCommand.parseLimit(" login-address=300/15m "));
        assertEquals(Map.entry(RateLimit.MFA, new RateLimit.Limit(5, Duration.ofSeconds(900))), RelayCommand.parseLimit("mfa=5/900s"));
        assertEquals(Map.entry(RateLimit.SEND, new RateLimit.Limit(1000, Duration.ofDays(1))), RelayCommand.parseLimit("send=1000/1d"));
        for (RateLimit r : RateLimit.values()) {
            assertEquals(r, RelayCommand.parseLimit(RelayCommand.limitName(r) + "=1/1s").getKey());
        }
    }

    @Test
    void badLimits_areOneLineUsageErrors() {
        Failures.UserException unknown = assertThrows(Failures.UserException.class, () -> RelayCommand.parseLimit("logins=5/1m"));
        assertEquals(Failures.USAGE, unknown.code);
        assertTrue(unknown.getMessage().contains("login, login-address, login-global, mfa, registration, send, upload"),
                unknown.getMessage());
        for (String bad : new String[] {"registration=100", "registration=0/1h", "registration=5/0m", "registration=5/1w", "=5/1h",
                "registration=-1/1h"}) {
            assertEquals(Failures.USAGE, assertThrows(Failures.UserException.class, () -> RelayCommand.parseLimit(bad)).code, bad);
        }
    }

    @Test
    void optionsFile_givesTheSameOptions(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("relay.conf"), """
                # an office behind one address
                --limit registration=200/1h
                --limit login-address=300/15m
                --max-connections-per-address 256
                """);
        RelayCommand relay = new RelayCommand();
        new CommandLine(relay).parseArgs("@" + conf);
        assertEquals(java.util.List.of("registration=200/1h", "login-address=300/15m"), relay.limits);
        assertEquals(256, relay.maxConnectionsPerAddress);
    }

    @Test
    void configOption_isTheSameAsAnOptionsFile(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("relay.conf"), "--limit send=500/10m\n--port 9443\n");
        for (String[] args : new String[][] {{"relay", "--config", conf.toString()}, {"relay", "--config=" + conf}}) {
            String[] expanded = Main.configFiles(args);
            RelayCommand relay = new RelayCommand();
            new CommandLine(relay).parseArgs(java.util.Arrays.copyOfRange(expanded, 1, expanded.length));
            assertEquals(java.util.List.of("send=500/10m"), relay.limits);
            assertEquals(9443, relay.port);
        }
        // a missing file is a one-line usage error through the real entry point
        java.io.StringWriter err = new java.io.StringWriter();
        int code = Main.run(new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err),
                Map.of("SEALPOST_HOME", dir.toString()), "relay", "--config", dir.resolve("missing.conf").toString());
        assertEquals(Failures.USAGE, code, err.toString());
        assertEquals("sealpost: cannot read the options file " + dir.resolve("missing.conf"), err.toString().strip());
    }
}
