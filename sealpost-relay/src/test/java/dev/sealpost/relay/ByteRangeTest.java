package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ByteRangeTest {
    @Test
    void singleRanges_resolveAgainstSize() {
        assertEquals(new ByteRange(0, 99, 100), ByteRange.parse("bytes=0-", 100));
        assertEquals(new ByteRange(10, 19, 100), ByteRange.parse("bytes=10-19", 100));
        assertEquals(new ByteRange(90, 99, 100), ByteRange.parse("bytes=90-1000", 100));
        assertEquals(new ByteRange(99, 99, 100), ByteRange.parse("bytes=99-99", 100));
        assertEquals(new ByteRange(80, 99, 100), ByteRange.parse("bytes=-20", 100));
        assertEquals(new ByteRange(0, 99, 100), ByteRange.parse("bytes=-1000", 100));
        assertEquals(new ByteRange(5, 99, 100), ByteRange.parse(" Bytes = 5 - ", 100));
        assertEquals(new ByteRange(0, 99, 100), ByteRange.parse("bytes=0-99999999999999999999", 100));
        assertEquals("bytes 10-19/100", new ByteRange(10, 19, 100).contentRange());
        assertEquals(10, new ByteRange(10, 19, 100).length());
    }

    @Test
    void unsatisfiable_throws416() {
        assertEquals(100, assertThrows(ApiError.RangeNotSatisfiable.class,
                () -> ByteRange.parse("bytes=100-", 100)).total());
        assertThrows(ApiError.RangeNotSatisfiable.class, () -> ByteRange.parse("bytes=99999999999999999999-", 100));
        assertThrows(ApiError.RangeNotSatisfiable.class, () -> ByteRange.parse("bytes=-0", 100));
        assertThrows(ApiError.RangeNotSatisfiable.class, () -> ByteRange.parse("bytes=0-", 0));
    }

    @Test
    void absentSeveralOrMalformed_areIgnored() {
        assertNull(ByteRange.parse(null, 100));
        assertNull(ByteRange.parse("bytes=0-1,5-6", 100));
        assertNull(ByteRange.parse("bytes=5-1", 100));
        assertNull(ByteRange.parse("bytes=a-b", 100));
        assertNull(ByteRange.parse("bytes=-", 100));
        assertNull(ByteRange.parse("bytes=1", 100));
        assertNull(ByteRange.parse("items=0-1", 100));
        assertNull(ByteRange.parse("garbage", 100));
        assertNull(ByteRange.parse("bytes=+1-2", 100));
    }
}
