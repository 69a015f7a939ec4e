package dev.sealpost.cli;

import dev.sealpost.client.OutgoingPipeline;
import dev.sealpost.client.OutgoingFile;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --file PATH...}: files of any type and size, sent as they are; folders with their relative paths. */
final class FileInputs {
    @Option(names = "--file", paramLabel = "PATH", arity = "1..*",
            description = "A file of any type or size to send as it is (video, scan, archive), or a folder: its files, "
                    + "with their paths relative to it; repeatable. Large files stream and resume.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--inline-limit", paramLabel = "BYTES", hidden = true,
            description = "Largest file carried inside the S/MIME message; larger ones travel as separately encrypted blobs.")
    long inlineLimit = OutgoingPipeline.DEFAULT_INLINE_LIMIT;

    /**
     * @return every file named, folders expanded
     * @throws Failures.UserException if a path does not exist or is not a file or folder
     */
    List<OutgoingFile> expand() throws IOException {
        if (inlineLimit < 0) {
            throw new Failures.UserException(Failures.USAGE, "--inline-limit must not be negative");
        }
        List<OutgoingFile> out = new ArrayList<>();
        for (Path p : files) {
            try {
                List<OutgoingFile> found = OutgoingFile.expand(p);
                if (found.isEmpty()) {
                    throw new Failures.UserException(Failures.ERROR, p + ": folder holds no files");
                }
                out.addAll(found);
            } catch (NoSuchFileException e) {
                throw new Failures.UserException(Failures.ERROR, "no such file or folder: " + p);
            }
        }
        return out;
    }
}
