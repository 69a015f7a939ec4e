package dev.sealpost.ui;

import dev.sealpost.client.SealpostHome;
import dev.sealpost.crypto.AtomicFiles;
import dev.sealpost.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The UI's settings that outlive a run, in {@code $SEALPOST_HOME/ui/settings.json} (0600):
 * today the folder the Inbox saves to. {@code sealpost ui --out DIR} sets it for one run
 * without changing the file; without either it is {@code ./received}, as {@code sealpost receive}.
 */
final class UiSettings {
    private static final Path DEFAULT_SAVE_TO = Path.of("received");

    private final Path file;
    private volatile Path saveTo;

    private UiSettings(Path file, Path saveTo) {
        this.file = file;
        this.saveTo = saveTo;
    }

    /**
     * @param home   the user's sealpost folder
     * @param saveTo a folder given for this run ({@code --out}), or null for the saved one
     * @throws IOException if the settings file exists and cannot be read or is not valid
     */
    static UiSettings load(SealpostHome home, Path saveTo) throws IOException {
        Path file = home.root().resolve("ui").resolve("settings.json");
        Path saved = DEFAULT_SAVE_TO;
        if (Files.exists(file)) {
            UiJson.Settings s = Json.mapper().readValue(file.toFile(), UiJson.Settings.class);
            if (s.saveTo() != null) {
                saved = Path.of(s.saveTo());
            }
        }
        return new UiSettings(file, (saveTo != null ? saveTo : saved).toAbsolutePath().normalize());
    }

    /** @return the folder the Inbox saves to, absolute */
    Path saveTo() {
        return saveTo;
    }

    /**
     * Sets the folder and keeps it for the next run. The folder need not exist yet (saving creates it).
     *
     * @param folder absolute, or relative to the folder the UI runs in
     * @throws IllegalArgumentException if {@code folder} is blank, not a path, or names an existing file that is not a folder
     * @throws IOException if the settings file cannot be written
     */
    void saveTo(String folder) throws IOException {
        if (folder == null || folder.isBlank()) {
            throw new IllegalArgumentException("give a folder to save received files in");
        }
        Path p;
        try {
            p = Path.of(folder.strip()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("not a folder name: " + e.getReason());
        }
        if (Files.exists(p) && !Files.isDirectory(p)) {
            throw new IllegalArgumentException(p + " is a file, not a folder");
        }
        AtomicFiles.createPrivateDirectory(file.getParent());
        AtomicFiles.replace(file, Json.mapper().writeValueAsString(new UiJson.Settings(p.toString())).getBytes(StandardCharsets.UTF_8),
                AtomicFiles.OWNER_ONLY);
        saveTo = p;
    }
}
