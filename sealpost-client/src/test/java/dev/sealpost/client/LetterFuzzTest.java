package dev.sealpost.client;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sealpost.testkit.FuzzBugs;
import java.io.IOException;

/**
 * Fuzz target for the MIME letter: the content of a message once its signature verified, which a
 * sender (or any S/MIME implementation) may have built by hand. Seeds: LetterFuzzTestInputs/parse/.
 */
class LetterFuzzTest {

    /** {@link Letter#parse}, then what the receiving pipeline reads from the result. */
    @FuzzTest
    void parse(byte[] mime) {
        Letter letter;
        try {
            letter = Letter.parse(mime);
        } catch (IOException e) {
            FuzzBugs.rethrowOurs(e);
            return;
        }
        letter.blobBytes();
        for (BlobRef ref : letter.blobs()) {
            ref.ciphertextSize(); // Bundle.check and the downloads need it: a parsed reference must have one
            SafeNames.relative(ref.filename(), "file");
        }
        for (Attachment a : letter.attachments()) {
            SafeNames.sanitize(a.filename(), "file");
            a.size();
        }
    }
}
