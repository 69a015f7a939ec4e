package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz targets for the request headers the relay parses itself: {@code Range} on downloads and
 * tus's {@code Upload-Offset}/{@code Upload-Length}. Besides "documented exceptions only", the
 * results are checked: a range the relay serves lies inside the representation.
 * Seeds: HeadersFuzzTestInputs/METHOD/.
 */
class HeadersFuzzTest {

    /** {@link ByteRange#parse}; the input's last 8 bytes are the representation's size. */
    @FuzzTest
    void range(FuzzedDataProvider in) {
        long size = in.consumeLong(0, Long.MAX_VALUE);
        String header = in.consumeRemainingAsString();
        ByteRange r;
        try {
            r = ByteRange.parse(header, size);
        } catch (ApiError.RangeNotSatisfiable e) {
            return;
        }
        if (r != null) {
            assertTrue(0 <= r.first() && r.first() <= r.last() && r.last() < size && r.size() == size,
                    () -> "range " + r + " for size " + size + " from '" + header + "'");
            assertTrue(r.length() > 0);
            r.contentRange();
        }
    }

    /** {@link Uploads#parseLength}, as for Upload-Offset and Upload-Length. */
    @FuzzTest
    void uploadLength(byte[] bytes) {
        String header = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        try {
            long n = Uploads.parseLength("Upload-Offset", header);
            assertTrue(n >= 0, () -> "negative " + n + " from '" + header + "'");
        } catch (ApiError.BadRequest e) {
            // documented: missing, blank or not a number
        }
    }
}
