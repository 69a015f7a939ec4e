package dev.sealpost.crypto;

import java.io.IOException;
import java.io.OutputStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.cms.CMSTypedData;

/**
 * id-data content handed to a Bouncy Castle CMS generator in 64 KiB writes.
 *
 * <p>The JDK's AES-GCM runs on its AES-NI/AVX intrinsic only once the JIT has compiled the calling
 * method; a single {@code update} over many megabytes stays in slower code for the whole call.
 * Many moderate calls let the JIT take over part-way through large content (DESIGN §3).
 */
final class ChunkedContent implements CMSTypedData {
    /** Bytes per {@code Cipher.update} call. */
    static final int CHUNK = 64 * 1024;

    private final byte[] bytes;

    ChunkedContent(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public ASN1ObjectIdentifier getContentType() {
        return CMSObjectIdentifiers.data;
    }

    @Override
    public void write(OutputStream out) throws IOException {
        for (int off = 0; off < bytes.length; off += CHUNK) {
            out.write(bytes, off, Math.min(CHUNK, bytes.length - off));
        }
    }

    @Override
    public Object getContent() {
        return bytes.clone();
    }
}
