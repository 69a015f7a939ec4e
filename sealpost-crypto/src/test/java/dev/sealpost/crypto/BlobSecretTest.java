package dev.sealpost.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class BlobSecretTest {
    @Test
    void constructor_checksLengths() {
        assertThrows(IllegalArgumentException.class, () -> new BlobSecret(new byte[31], new byte[32], new byte[7]));
        assertThrows(IllegalArgumentException.class, () -> new BlobSecret(new byte[32], new byte[33], new byte[7]));
        assertThrows(IllegalArgumentException.class, () -> new BlobSecret(new byte[32], new byte[32], new byte[12]));
        assertThrows(NullPointerException.class, () -> new BlobSecret(null, new byte[32], new byte[7]));
    }

    @Test
    void arraysAreCopiedInAndOut() {
        byte[] ikm = Blobs.data(32, 1);
        BlobSecret s = new BlobSecret(ikm, Blobs.data(32, 2), Blobs.data(7, 3));
        ikm[0] ^= 1;
        assertNotEquals(ikm[0], s.ikm()[0]);
        s.ikm()[0] ^= 1;
        s.salt()[0] ^= 1;
        s.noncePrefix()[0] ^= 1;
        assertEquals(new BlobSecret(Blobs.data(32, 1), Blobs.data(32, 2), Blobs.data(7, 3)), s);
    }

    @Test
    void equalsAndHashCode_byContent() {
        BlobSecret a = Blobs.secret(5);
        BlobSecret b = Blobs.secret(5);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, Blobs.secret(6));
        assertNotEquals(a, new BlobSecret(a.ikm(), a.salt(), Blobs.data(7, 99)));
    }

    @Test
    void toString_showsNoKeyMaterial() {
        BlobSecret s = Blobs.secret(5);
        String text = s.toString();
        for (byte[] part : new byte[][] {s.ikm(), s.salt(), s.noncePrefix()}) {
            assertFalse(text.toLowerCase().contains(HexFormat.of().formatHex(part, 0, 4)), text);
        }
        assertFalse(text.contains("[B@"), text);
    }

    @Test
    void generate_drawsFreshValues() {
        SecureRandom random = new SecureRandom();
        BlobSecret a = BlobSecret.generate(random);
        BlobSecret b = BlobSecret.generate(random);
        assertNotEquals(a, b);
        assertEquals(32, a.ikm().length);
        assertEquals(32, a.salt().length);
        assertEquals(7, a.noncePrefix().length);
        assertArrayEquals(a.ikm(), a.ikm());
    }
}
