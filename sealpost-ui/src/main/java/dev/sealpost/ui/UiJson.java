package dev.sealpost.ui;

import java.util.List;

/** The JSON bodies of the UI server's {@code /api/} routes (Jackson records). */
final class UiJson {
    private UiJson() {}

    /** An error: {@code {"error":"one line"}}, as the relay's. */
    record Problem(String error) {}

    /** What the page asks for first: the CSRF token it must send with every change. */
    record SessionInfo(String csrf) {}

    /**
     * What the page shows in its header and which screen it starts on.
     *
     * @param name        the identity's account name
     * @param fingerprint its signing certificate's SHA-256 fingerprint ({@code SHA256:hex})
     * @param unlocked    whether the keys are unlocked in this server's memory
     * @param idleLockSeconds after how long without use the keys lock again
     */
    record State(String name, String fingerprint, boolean unlocked, long idleLockSeconds) {}

    /**
     * The Account screen.
     *
     * @param name                   the identity's account name
     * @param signingFingerprint     {@code SHA256:hex} of the signing certificate (what contacts compare)
     * @param encryptionFingerprint  {@code SHA256:hex} of the encryption certificate
     * @param relay                  the relay's URL, or null before {@code sealpost register}
     * @param relayFingerprint       the pinned relay certificate's fingerprint, or null
     * @param loggedIn               whether a session token is kept and not expired
     * @param sessionExpiresAt       ISO-8601 instant the session ends, or null
     */
    record Account(String name, String signingFingerprint, String encryptionFingerprint, String relay,
                   String relayFingerprint, boolean loggedIn, String sessionExpiresAt) {}

    /** {@code POST /api/login}: the account password (not the key passphrase). */
    record LoginRequest(String password, String otp) {
        @Override
        public String toString() {
            return "LoginRequest[REDACTED]";
        }
    }

    /**
     * A pinned contact.
     *
     * @param name               account name
     * @param signingFingerprint {@code SHA256:hex} of the pinned signing certificate
     * @param verified           whether the user confirmed the fingerprint ({@code contacts trust}) rather than pinned it on first use
     * @param safetyNumber       the 60 digits to compare with the contact ({@link dev.sealpost.client.SafetyNumber}), in groups of five
     */
    record Contact(String name, String signingFingerprint, boolean verified, String safetyNumber) {}

    /** A new draft's id. */
    record DraftCreated(String id) {}

    /**
     * A file added to a draft.
     *
     * @param index its place in the draft, from 0
     * @param name  its name as chosen
     * @param size  its size, in bytes
     * @param image whether it will travel as an image (compressed, stripped, with a thumbnail)
     */
    record DraftFile(int index, String name, long size, boolean image) {}

    /**
     * What will travel of one attached file.
     *
     * @param before       its size as attached, in bytes
     * @param after        an image's size once compressed, in bytes; -1 for a file sent as it is, or on error
     * @param width        an image's width as it will travel, in pixels (0 otherwise)
     * @param height       an image's height, in pixels (0 otherwise)
     * @param mediaType    an image's type as it will travel (null otherwise)
     * @param removed      the kinds of metadata that will be removed, described for people ({@code "GPS position"})
     * @param kept         the kinds that travel with the image (compression "none" keeps the file as it is)
     * @param error        why the image cannot be sent, in one line; null if it can
     */
    record Preview(int index, String name, long before, long after, int width, int height, String mediaType,
                   List<String> removed, List<String> kept, String error) {}

    /**
     * {@code POST /api/drafts/{id}/send}.
     *
     * @param to          recipient account names
     * @param compression {@code lossless}, {@code jpeg[:QUALITY]} or {@code none}; null for lossless
     */
    record SendRequest(List<String> to, String subject, String text, String compression) {}

    /** A background job (a send) the page follows by its events. */
    record Job(String id) {}

    /** Event {@code progress}: {@code done} of {@code total} bytes of one step ({@code label}) of a job. */
    record ProgressEvent(String job, String label, long done, long total) {}

    /** Event {@code sent}: the job's message is on the relay. */
    record SentEvent(String job, String messageId, List<String> recipients) {}

    /**
     * Event {@code failed}: the job ended without sending; {@code error} is one line. When a
     * recipient's keys changed, {@code keyChanged} names them and {@code offered} is the new
     * signing fingerprint to compare: sending to them is blocked until it is trusted.
     */
    record FailedEvent(String job, String error, String keyChanged, String offered) {
        FailedEvent(String job, String error) {
            this(job, error, null, null);
        }
    }

    /** {@code POST /api/contacts/{name}/trust}: the fingerprint the user compared with the contact. */
    record TrustRequest(String fingerprint) {}

    /**
     * A waiting message as the Inbox shows it.
     *
     * @param id          the relay's message id
     * @param sender      the verified signer (or, if refused, the sender the relay names)
     * @param sentAt      ISO-8601 instant the relay stored it
     * @param size        its sealed size, in bytes
     * @param subject     the signed subject (null if refused)
     * @param text        the signed text (null if refused)
     * @param verified    whether it decrypted and its signature verified against the pinned sender
     * @param fingerprint the signer's signing certificate fingerprint, {@code SHA256:hex}
     * @param refusal     why it was refused, one line (null if verified)
     * @param keyChanged  the sender, when it was refused because the relay now offers other keys for them
     *                    than the ones pinned (null otherwise)
     * @param offered     then, the signing fingerprint the relay offers now, to compare and trust
     * @param attachments what the letter carries (images and small files), with thumbnails
     * @param files       the streamed files it references, downloaded by "Save all"
     */
    record InboxMessage(String id, String sender, String sentAt, long size, String subject, String text, boolean verified,
                        String fingerprint, String refusal, String keyChanged, String offered, List<Shown> attachments,
                        List<Shown> files) {}

    /**
     * One attachment or file of a message.
     *
     * @param size      in bytes
     * @param width     pixels, 0 if not an image
     * @param height    pixels, 0 if not an image
     * @param thumbnail a {@code data:} URL of the envelope's thumbnail, or null
     * @param url       where the page shows it at full size, or null (streamed files: after "Save all")
     */
    record Shown(String name, String mediaType, long size, int width, int height, String thumbnail, String url) {}

    /** {@code POST /api/messages/{id}/receive}: the files written, and whether the relay was told. */
    record ReceivedMessage(List<String> saved, boolean acknowledged) {}

    /** {@code GET} and {@code POST /api/settings}: the folder the Inbox saves to (absolute when read). */
    record Settings(String saveTo) {}

    /**
     * Event {@code message}: new mail on the relay.
     *
     * @param message the message as the list shows it, when the local server opened and verified
     *                it already (keys unlocked); null otherwise, and the page asks for the list
     */
    record NewMessage(String id, String sender, InboxMessage message) {}

    /** {@code POST /api/unlock}: the passphrase, in the body (never in a URL or a log). */
    record UnlockRequest(String passphrase) {
        @Override
        public String toString() {
            return "UnlockRequest[REDACTED]";
        }
    }
}
