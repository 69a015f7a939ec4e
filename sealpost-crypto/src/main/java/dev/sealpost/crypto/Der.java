package dev.sealpost.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.ContentInfo;

/**
 * Strict reading of one CMS ContentInfo (RFC 5652 §3) from bytes: exactly one object, no
 * trailing bytes, no declared length beyond the input, parsed eagerly so that structural errors
 * surface here rather than later inside Bouncy Castle.
 */
final class Der {
    private Der() {}

    /**
     * @param bytes BER or DER encoding of a ContentInfo
     * @param what what the bytes are, for the error message ("message", "signed content")
     * @return the parsed ContentInfo
     * @throws MalformedMessageException if the bytes are empty, truncated, followed by more bytes,
     *     or not a ContentInfo
     */
    static ContentInfo contentInfo(byte[] bytes, String what) throws MalformedMessageException {
        if (bytes.length == 0) {
            throw new MalformedMessageException("the " + what + " is empty");
        }
        try (ASN1InputStream in = new ASN1InputStream(new ByteArrayInputStream(bytes), bytes.length, false)) {
            ASN1Primitive obj = in.readObject();
            if (obj == null) {
                throw new MalformedMessageException("the " + what + " is empty");
            }
            if (in.available() > 0) {
                throw new MalformedMessageException("unexpected bytes after the " + what);
            }
            return ContentInfo.getInstance(obj);
        } catch (IOException | RuntimeException e) {
            if (e instanceof MalformedMessageException m) {
                throw m;
            }
            throw new MalformedMessageException("the " + what + " is truncated or not valid CMS", e);
        }
    }
}
