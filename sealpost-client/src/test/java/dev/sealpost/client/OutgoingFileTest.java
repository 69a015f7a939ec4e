package dev.sealpost.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutgoingFileTest {
    private static OutgoingFile sized(String name, long size) {
        return new OutgoingFile(Path.of(name), name, "application/octet-stream", size, 0);
    }

    @Test
    void split_keepsFilesInsideUpToTheBoundAndTwiceItInAll() {
        List<OutgoingFile> files = List.of(sized("a", 10), sized("b", 11), sized("c", 10), sized("d", 0), sized("e", 1));
        OutgoingFile.Split s = OutgoingFile.split(files, 10);
        // a (10) inside; b is over the bound; c brings the inline total to 20 = 2 x 10; d adds 0; e would make 21
        assertEquals(List.of("a", "c", "d"), s.inline().stream().map(OutgoingFile::name).toList());
        assertEquals(List.of("b", "e"), s.blobs().stream().map(OutgoingFile::name).toList());
    }

    @Test
    void expand_folderGivesItsRegularFilesWithRelativeNames(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("study/series"));
        Files.writeString(dir.resolve("b.dcm"), "b");
        Files.writeString(tmp.resolve("study/a.txt"), "a");
        Files.createSymbolicLink(tmp.resolve("study/link"), tmp.resolve("study/a.txt"));
        List<OutgoingFile> files = OutgoingFile.expand(tmp.resolve("study"));
        assertEquals(List.of("study/a.txt", "study/series/b.dcm"), files.stream().map(OutgoingFile::name).toList());
        assertEquals("text/plain", files.get(0).mediaType());
        assertEquals("application/dicom", files.get(1).mediaType());
        assertEquals(List.of("a.txt"), OutgoingFile.expand(tmp.resolve("study/a.txt")).stream().map(OutgoingFile::name).toList());
        assertThrows(NoSuchFileException.class, () -> OutgoingFile.expand(tmp.resolve("missing")));
    }
}
