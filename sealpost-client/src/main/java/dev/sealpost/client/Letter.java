package dev.sealpost.client;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import jakarta.mail.util.SharedByteArrayInputStream;
import jakarta.activation.DataHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The plaintext of a sealpost message: an RFC 2045 MIME entity, {@code multipart/mixed} with
 * one {@code text/plain; charset=UTF-8} part and one part per attachment.
 *
 * <p>The protected header fields From, To, Date, Message-ID and Subject sit in the header
 * of this entity, inside the signature (RFC 9788 header protection, marked with
 * {@code hp="cipher"} on the Content-Type), so a receiver can check who signed it for whom
 * and when, whatever the relay claims. Addresses are {@code NAME@sealpost}.
 *
 * <p>Attachments use {@code Content-Transfer-Encoding: binary} (RFC 2045 §6.2): CMS and the
 * relay are binary-clean, so base64 would only add a third to every image. The multipart
 * boundary is random, so it cannot occur inside a binary part by chance.
 *
 * <p>Each attachment part has a Content-ID (RFC 2392); an image part also carries
 * {@code X-Sealpost-Image-Size: WIDTHxHEIGHT}, and its thumbnail, when there is one, follows
 * as an inline part with {@code X-Sealpost-Thumbnail-Of: <content-id>}. Other MIME readers
 * simply show the thumbnails as small extra images.
 *
 * @param from        the sender's account name
 * @param to          the recipients' account names, at least one
 * @param date        when the sender wrote it (second precision on the wire)
 * @param messageId   a unique id, without angle brackets
 * @param subject     optional subject, empty if none
 * @param text        the message text
 * <p>Files above the inline bound travel as separately encrypted blobs, each referenced by
 * a {@code message/external-body} part (RFC 2046 §5.2.3) with the private access type
 * {@code x-sealpost-blob}; see {@link BlobRef}. The reference, and with it the blob's key,
 * size and ciphertext digest, is signed with the rest of the letter.
 *
 * @param attachments the files carried inside the letter, in order
 * @param blobs       the files carried beside it as blobs, in order
 */
public record Letter(String from, List<String> to, Instant date, String messageId, String subject,
                     String text, List<Attachment> attachments, List<BlobRef> blobs) {
    private static final String DOMAIN = "sealpost";
    /** Header on an image part: its size in pixels, {@code WIDTHxHEIGHT}. */
    static final String IMAGE_SIZE = "X-Sealpost-Image-Size";
    /** Header on a thumbnail part: the Content-ID (RFC 2392) of the attachment it previews. */
    static final String THUMBNAIL_OF = "X-Sealpost-Thumbnail-Of";
    /** The access-type of a {@code message/external-body} part that references a sealpost blob. */
    static final String BLOB_ACCESS_TYPE = "x-sealpost-blob";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Copies the lists and checks the shape. */
    public Letter {
        to = List.copyOf(to);
        attachments = List.copyOf(attachments);
        blobs = List.copyOf(blobs);
        subject = subject == null ? "" : subject;
        text = text == null ? "" : text;
        if (to.isEmpty()) {
            throw new IllegalArgumentException("a letter needs at least one recipient");
        }
    }

    /**
     * Starts a new letter dated now with a fresh random Message-ID.
     *
     * @return the letter
     */
    public static Letter compose(String from, List<String> to, String subject, String text,
                                 List<Attachment> attachments, Instant now) {
        return compose(from, to, subject, text, attachments, List.of(), now);
    }

    /**
     * Starts a new letter with blobs, dated now with a fresh random Message-ID.
     *
     * @return the letter
     */
    public static Letter compose(String from, List<String> to, String subject, String text,
                                 List<Attachment> attachments, List<BlobRef> blobs, Instant now) {
        return new Letter(from, to, now, newMessageId(), subject, text, attachments, blobs);
    }

    /** @return a fresh random Message-ID (144 random bits), without angle brackets */
    public static String newMessageId() {
        byte[] id = new byte[18];
        RANDOM.nextBytes(id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id) + "@" + DOMAIN;
    }

    /** @return the total plaintext size of the blobs, in bytes */
    public long blobBytes() {
        return blobs.stream().mapToLong(BlobRef::size).sum();
    }

    /**
     * Encodes the letter as a MIME entity.
     *
     * @return the bytes to sign, CRLF line endings in headers
     */
    public byte[] toMime() {
        try {
            MimeMessage m = new MimeMessage(session());
            m.setFrom(address(from));
            m.setRecipients(jakarta.mail.Message.RecipientType.TO, to.stream().map(Letter::address)
                    .toArray(InternetAddress[]::new));
            m.setSentDate(Date.from(date));
            if (!subject.isEmpty()) {
                m.setSubject(subject, "UTF-8");
            }
            MimeMultipart mixed = new RandomBoundaryMultipart();
            MimeBodyPart body = new MimeBodyPart();
            body.setText(text, "UTF-8", "plain");
            mixed.addBodyPart(body);
            int n = 0;
            for (Attachment a : attachments) {
                String cid = "<a" + ++n + "." + messageId + ">";
                MimeBodyPart p = binaryPart(a.bytes(), a.mediaType(), a.filename(), Part.ATTACHMENT);
                p.setContentID(cid);
                if (a.width() > 0 && a.height() > 0) {
                    p.setHeader(IMAGE_SIZE, a.width() + "x" + a.height());
                }
                mixed.addBodyPart(p);
                if (a.thumbnail() != null) {
                    Attachment.Thumbnail t = a.thumbnail();
                    MimeBodyPart tp = binaryPart(t.bytes(), t.mediaType(), "thumbnail-" + n + "." + extension(t.mediaType()), Part.INLINE);
                    tp.setHeader(THUMBNAIL_OF, cid);
                    tp.setHeader(IMAGE_SIZE, t.width() + "x" + t.height());
                    tp.setDescription("thumbnail");
                    mixed.addBodyPart(tp);
                }
            }
            int b = 0;
            for (BlobRef ref : blobs) {
                MimeBodyPart p = BlobRef.toMimePart(ref);
                p.setContentID("<b" + ++b + "." + messageId + ">");
                mixed.addBodyPart(p);
            }
            m.setContent(mixed);
            m.saveChanges();
            m.setHeader("Message-ID", "<" + messageId + ">");
            String contentType = m.getContentType();
            m.setHeader("Content-Type", contentType + "; hp=\"cipher\"");
            ByteArrayOutputStream out = new ByteArrayOutputStream(estimatedSize());
            m.writeTo(out);
            return out.toByteArray();
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("cannot encode letter: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a MIME entity made by {@link #toMime()} or by another S/MIME implementation:
     * any {@code text/plain} part becomes the text, every other leaf part an attachment.
     *
     * @param mime the verified content of a message
     * @return the letter
     * @throws IOException if the entity is not well-formed MIME or lacks From, To or Date
     */
    public static Letter parse(byte[] mime) throws IOException {
        try {
            MimeMessage m = new MimeMessage(session(), new SharedByteArrayInputStream(mime));
            String from = name(m.getFrom(), "From");
            jakarta.mail.Address[] toAddresses = m.getRecipients(jakarta.mail.Message.RecipientType.TO);
            List<String> to = new ArrayList<>();
            if (toAddresses != null) {
                for (jakarta.mail.Address a : toAddresses) {
                    to.add(name(new jakarta.mail.Address[] {a}, "To"));
                }
            }
            if (to.isEmpty()) {
                throw new IOException("message has no To header");
            }
            Date sent = m.getSentDate();
            if (sent == null) {
                throw new IOException("message has no Date header");
            }
            String id = m.getMessageID();
            id = id == null ? "" : id.replaceAll("^<|>$", "");
            StringBuilder text = new StringBuilder();
            List<Leaf> leaves = new ArrayList<>();
            List<BlobRef> blobs = new ArrayList<>();
            collect(m, text, leaves, blobs, 0);
            List<Attachment> attachments = attach(leaves);
            String subject = m.getSubject();
            return new Letter(from, to, sent.toInstant(), id, subject, text.toString(), attachments, blobs);
        } catch (MessagingException | RuntimeException e) {
            throw new IOException("malformed message content: " + e.getMessage(), e);
        }
    }

    /** A leaf part that is not the text: an attachment, or a thumbnail of one. */
    private record Leaf(Attachment attachment, String contentId, String thumbnailOf) {}

    /** Pairs thumbnails with the attachment they preview; an orphan thumbnail becomes an attachment. */
    private static List<Attachment> attach(List<Leaf> leaves) {
        List<Attachment> out = new ArrayList<>();
        java.util.Map<String, Integer> byId = new java.util.HashMap<>();
        for (Leaf l : leaves) {
            if (l.thumbnailOf() == null) {
                if (l.contentId() != null) {
                    byId.put(l.contentId(), out.size());
                }
                out.add(l.attachment());
            }
        }
        for (Leaf l : leaves) {
            if (l.thumbnailOf() != null) {
                Integer i = byId.get(l.thumbnailOf());
                Attachment a = l.attachment();
                if (i == null || out.get(i).thumbnail() != null) {
                    out.add(a);
                } else {
                    out.set(i, out.get(i).withThumbnail(new Attachment.Thumbnail(a.mediaType(), a.bytes(), a.width(), a.height())));
                }
            }
        }
        return out;
    }

    private static MimeBodyPart binaryPart(byte[] bytes, String mediaType, String filename, String disposition)
            throws MessagingException {
        MimeBodyPart p = new MimeBodyPart();
        p.setDataHandler(new DataHandler(new ByteArrayDataSource(bytes, mediaType)));
        p.setFileName(filename);
        p.setDisposition(disposition);
        p.setHeader("Content-Transfer-Encoding", "binary");
        return p;
    }

    private static String extension(String mediaType) {
        int slash = mediaType.indexOf('/');
        String sub = slash < 0 ? "bin" : mediaType.substring(slash + 1);
        return sub.equals("jpeg") ? "jpg" : sub.replaceAll("[^a-z0-9]", "");
    }

    private static int[] size(Part part) throws MessagingException {
        String[] v = part.getHeader(IMAGE_SIZE);
        if (v != null && v.length == 1 && v[0].strip().matches("[0-9]{1,6}x[0-9]{1,6}")) {
            String[] wh = v[0].strip().split("x");
            return new int[] {Integer.parseInt(wh[0]), Integer.parseInt(wh[1])};
        }
        return new int[] {0, 0};
    }

    private static void collect(Part part, StringBuilder text, List<Leaf> out, List<BlobRef> blobs, int depth)
            throws MessagingException, IOException {
        if (depth > 8) {
            throw new IOException("message nesting too deep");
        }
        if (part.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) part.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart child = mp.getBodyPart(i);
                collect(child, text, out, blobs, depth + 1);
            }
            return;
        }
        if (part.isMimeType("message/external-body")) {
            ContentType ct = new ContentType(part.getContentType());
            if (BLOB_ACCESS_TYPE.equalsIgnoreCase(ct.getParameter("access-type"))) {
                blobs.add(BlobRef.fromMimePart(part, ct));
                return;
            }
        }
        boolean isAttachment = Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || part.getFileName() != null;
        if (part.isMimeType("text/plain") && !isAttachment) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            Object content = part.getContent();
            text.append(content instanceof String s ? s : new String(readAll(part), StandardCharsets.UTF_8));
            return;
        }
        String filename = part.getFileName();
        String type = baseType(part.getContentType());
        int[] wh = size(part);
        String[] thumbOf = part.getHeader(THUMBNAIL_OF);
        String cid = part instanceof jakarta.mail.internet.MimePart mp ? mp.getContentID() : null;
        out.add(new Leaf(new Attachment(filename == null ? "attachment-" + (out.size() + 1) : filename, type, readAll(part),
                wh[0], wh[1], null), cid == null ? null : cid.strip(), thumbOf == null ? null : thumbOf[0].strip()));
    }

    private static byte[] readAll(Part part) throws MessagingException, IOException {
        try (InputStream in = part.getInputStream()) {
            return in.readAllBytes();
        }
    }

    static String baseType(String contentType) {
        if (contentType == null) {
            return "application/octet-stream";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    private static String name(jakarta.mail.Address[] addresses, String header) throws IOException {
        if (addresses == null || addresses.length != 1 || !(addresses[0] instanceof InternetAddress a)) {
            throw new IOException("message needs exactly one " + header + " address");
        }
        String addr = a.getAddress();
        int at = addr == null ? -1 : addr.lastIndexOf('@');
        if (at <= 0) {
            throw new IOException("malformed " + header + " address");
        }
        return addr.substring(0, at).toLowerCase(Locale.ROOT);
    }

    private static InternetAddress address(String name) {
        try {
            return new InternetAddress(name + "@" + DOMAIN, true);
        } catch (AddressException e) {
            throw new IllegalArgumentException("invalid account name: " + name, e);
        }
    }

    private int estimatedSize() {
        long n = 4096L + text.length() * 4L;
        for (Attachment a : attachments) {
            n += a.size() + 512;
        }
        return (int) Math.min(n, Integer.MAX_VALUE - 16);
    }

    /**
     * A multipart whose boundary is 24 random bytes: the parts are binary, and a boundary
     * that occurred inside one would cut it (RFC 2046 §5.1.1); a 192-bit random string
     * does not occur by chance.
     */
    private static final class RandomBoundaryMultipart extends MimeMultipart {
        RandomBoundaryMultipart() {
            super("mixed");
            byte[] b = new byte[24];
            RANDOM.nextBytes(b);
            contentType = "multipart/mixed; boundary=\"=_sp_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b) + "\"";
        }
    }

    private static Session session() {
        Properties p = new Properties();
        p.setProperty("mail.mime.allowutf8", "true");
        return Session.getInstance(p);
    }
}
