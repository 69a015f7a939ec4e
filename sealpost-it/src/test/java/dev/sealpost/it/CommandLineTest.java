package dev.sealpost.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** The program's surface: help for every verb, usage errors, and the quickstart's demo. */
class CommandLineTest {
    @TempDir Path root;

    @TestFactory
    Stream<DynamicTest> help_everyCommand_printsUsageAndQuietOption() {
        return Stream.of("init", "whoami", "export", "register", "login", "send", "inbox", "receive", "watch",
                        "contacts", "seal", "open", "relay", "demo", "compress")
                .map(verb -> DynamicTest.dynamicTest(verb, () -> {
                    Cli.Result r = Cli.Person.at(root, "x").run(verb, "--help");
                    assertEquals(0, r.code(), r.toString());
                    assertTrue(r.out().contains("Usage: sealpost " + verb), r.toString());
                    assertTrue(r.out().contains("--quiet"), verb + " lacks -q/--quiet: " + r);
                }));
    }

    @Test
    void unknownOption_exitsTwoWithOneLineAndHint() {
        Cli.Result r = Cli.Person.at(root, "x").run("inbox", "--bogus");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().startsWith("sealpost: Unknown option: '--bogus'"), r.toString());
        assertTrue(r.err().contains("sealpost inbox --help"), r.toString());
    }

    @Test
    void demo_quiet_runsWholeFlowAndRefusesTamperedCopy() {
        Cli.Result r = Cli.Person.at(root, "x").run("demo", "-q", "--suite", "p256");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("demo finished in "), r.toString());
    }
}
