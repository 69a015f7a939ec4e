package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sealpost.protocol.SendResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The data directory is the relay's alone: tightened at start, and everything in it owner-only. */
class PrivateDataTest {
    @TempDir
    Path temp;

    @Test
    void start_dataDirOpenToOthers_isTightenedWithAWarning() throws IOException {
        Path data = Files.createDirectory(temp.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        Logger log = (Logger) LoggerFactory.getLogger(RelayServer.class);
        captured.start();
        log.addAppender(captured);
        try (RelayServer relay = RelayServer.start(RelayConfig.defaults(data).withPort(0), MutableClock.startingNow())) {
            assertEquals("rwx------", mode(data));
        } finally {
            log.detachAppender(captured);
        }
        assertTrue(captured.list.stream().anyMatch(e -> e.getLevel() == Level.WARN
                && e.getFormattedMessage().contains(data.toString())
                && e.getFormattedMessage().contains("rwxr-xr-x")), captured.list.toString());
    }

    @Test
    void everyFileTheRelayCreates_isOwnerOnly() throws IOException {
        Path data = temp.resolve("data");
        try (RelayServer relay = RelayServer.start(RelayConfig.defaults(data).withPort(0), MutableClock.startingNow())) {
            TestClient client = new TestClient(relay);
            String alice = client.account("alice");
            client.account("bob");
            String upload = client.upload(alice, 10);
            assertEquals(204, client.patch(alice, upload, 0, new byte[4]).statusCode());
            String other = client.upload(alice, 3);
            assertEquals(204, client.patch(alice, other, 0, new byte[3]).statusCode());
            HttpResponse<String> sent = client.sendMessage(alice, "sealed".getBytes(), List.of("bob"), List.of(other));
            assertEquals(201, sent.statusCode(), sent.body());
            client.read(sent, SendResponse.class);

            List<String> files = new ArrayList<>();
            List<String> open = new ArrayList<>();
            try (Stream<Path> all = Files.walk(data)) {
                for (Path p : all.toList()) {
                    String expected = Files.isDirectory(p) ? "rwx------" : "rw-------";
                    files.add(data.relativize(p).toString());
                    if (!mode(p).equals(expected)) {
                        open.add(data.relativize(p) + " " + mode(p));
                    }
                }
            }
            assertTrue(files.contains("uploads/" + upload), files.toString());
            assertTrue(files.contains("relay.db-wal"), files.toString());
            assertTrue(files.stream().anyMatch(f -> f.startsWith("blobs/") && !f.startsWith("blobs/tmp")), files.toString());
            assertEquals(List.of(), open, "files or folders open to others, of " + files);
        }
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
