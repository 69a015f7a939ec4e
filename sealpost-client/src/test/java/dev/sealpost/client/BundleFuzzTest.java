package dev.sealpost.client;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sealpost.testkit.FuzzBugs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz target for an offline bundle ({@code sealpost open FILE}): a file made from the fuzz
 * bytes is opened, and its blob region checked against references as a signed letter would
 * give them. Seeds: BundleFuzzTestInputs/openAndCheck/.
 */
class BundleFuzzTest {
    private static final Path FILE = tempFile();

    /**
     * The last bytes choose up to 3 references (FuzzedDataProvider reads primitives from the
     * end): per reference, whether it is #N in order, and its plaintext size. The rest is the file.
     */
    @FuzzTest
    void openAndCheck(FuzzedDataProvider in) throws IOException {
        int n = in.consumeInt(0, 3);
        List<BlobRef> refs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = in.consumeBoolean() ? Bundle.blobId(i) : Bundle.blobId(i + 1);
            long size = in.consumeLong(0, 1L << 22);
            refs.add(new BlobRef("f" + i, "application/octet-stream", size, id, new byte[32], new byte[32]));
        }
        Files.write(FILE, in.consumeRemainingAsBytes());
        Bundle.isBundle(FILE);
        try (Bundle.Contents contents = Bundle.open(FILE)) {
            contents.sealed();
            contents.check(refs);
        } catch (dev.sealpost.crypto.MalformedMessageException e) {
            FuzzBugs.rethrowOurs(e);
        }
    }

    private static Path tempFile() {
        try {
            Path f = Files.createTempFile("bundle-fuzz", ".bundle");
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
