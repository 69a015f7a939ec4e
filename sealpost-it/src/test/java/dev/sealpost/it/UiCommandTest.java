package dev.sealpost.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sealpost ui} as a user starts it: one line with the link, which opens a session once; keys unlocked from the environment. */
class UiCommandTest {
    static final Pattern LINE = Pattern.compile("sealpost ui: (http://127\\.0\\.0\\.1:(\\d+)/\\?token=[A-Za-z0-9_-]{43})");

    @Test
    void ui_printsAOneTimeLink_onLoopback_startingUnlockedWithThePassphraseFromTheEnvironment(@TempDir Path root) throws Exception {
        Cli.Person alice = Cli.Person.at(root, "alice");
        alice.must("init", "--name", "alice", "--suite", "p256", "-q");

        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "dev.sealpost.cli.Main", "ui", "--no-browser", "--port", "0"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(alice.env());
        Process ui = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(ui.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertNotNull(line, "sealpost ui printed nothing");
            Matcher m = LINE.matcher(line);
            assertTrue(m.matches(), line);
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(m.group(1))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(303, first.statusCode());
            String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
            assertEquals(403, http.send(HttpRequest.newBuilder(URI.create(m.group(1))).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode(), "the link works once");
            HttpResponse<String> state = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.group(2) + "/api/state"))
                    .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, state.statusCode());
            assertTrue(state.body().contains("\"name\":\"alice\"") && state.body().contains("\"unlocked\":true"), state.body());
        } finally {
            ui.destroy();
            ui.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void ui_withAWrongPassphraseInTheEnvironment_saysSoInOneLine_andExits(@TempDir Path root) {
        Cli.Person alice = Cli.Person.at(root, "alice");
        alice.must("init", "--name", "alice", "--suite", "p256", "-q");
        Cli.Result r = alice.with("SEALPOST_PASSPHRASE", "not it").run("ui", "--no-browser", "--port", "0");
        assertEquals(1, r.code(), r.toString());
        assertEquals("sealpost: SEALPOST_PASSPHRASE does not unlock your keys", r.err().strip());
    }
}
