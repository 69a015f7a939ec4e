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

    @Test
    void quiet_printsNothingOnSuccess_butWhatAScriptNeeds() throws Exception {
        try (RelayFixture relay = new RelayFixture(root.resolve("relay"))) {
            Cli.Person alice = Cli.Person.at(root, "alice");
            Cli.Result init = alice.must("init", "-q", "--name", "alice", "--suite", "p256");
            assertEquals("", init.out(), "init -q prints nothing ('whoami' prints the fingerprints)");
            alice.must("register", "-q", "--relay", relay.url(), "--relay-fingerprint", relay.fingerprint());
            Cli.Person bob = relay.join(root, "bob", "p256");

            Cli.Result sent = alice.must("send", "-q", "--to", "bob", "-m", "hi");
            assertTrue(sent.out().matches("[A-Za-z0-9_-]{1,64}\\R"), "send -q prints only the message id: " + sent);

            Path out = root.resolve("hi.p7m");
            Cli.Result sealed = alice.must("seal", "-q", "--to", "bob", "-m", "hi", "-o", out.toString());
            assertEquals("", sealed.out(), "seal -q prints nothing");
            assertTrue(java.nio.file.Files.size(out) > 0);
            assertTrue(bob.must("receive", "-q", "--out", root.resolve("got").toString()).out().contains("hi"),
                    "the message itself is what receive prints");
        }
    }
}
