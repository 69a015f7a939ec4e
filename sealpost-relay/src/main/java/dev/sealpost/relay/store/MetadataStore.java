package dev.sealpost.relay.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The relay's routing metadata: accounts, published certificates, session tokens,
 * messages with their pending recipients, and resumable uploads, which become the blobs of
 * a message. An implementation only stores and queries; the
 * rules (password hashing, token expiry, who may see what, when stored bytes may go) live in the
 * relay's managers, as in Signal's {@code Accounts} / {@code AccountsManager} split.
 *
 * <p>Instants are kept with millisecond precision; callers pass truncated values. Every
 * method is thread-safe, each call is its own transaction, and every method throws
 * {@link StoreException} when the database fails. Implementations: SQLite ({@link
 * Stores#sqlite}); a PostgreSQL one for several relay nodes is meant to follow and must pass
 * the same contract tests.
 */
public interface MetadataStore extends AutoCloseable {

    /**
     * Creates an account.
     *
     * @param name         a valid account name
     * @param passwordHash the PHC string of its password hash
     * @param createdAt    creation time
     * @return false if the name is already taken (nothing changed)
     */
    boolean createAccount(String name, String passwordHash, Instant createdAt);

    /** @return the stored PHC password hash, or empty if there is no such account */
    Optional<String> passwordHash(String name);

    /** @return true if the account exists */
    boolean accountExists(String name);

    /**
     * Publishes or replaces an account's certificates.
     *
     * @throws StoreException also if the account does not exist
     */
    void putKeys(KeyRecord keys);

    /** @return the account's certificates, or empty if none were published or there is no such account */
    Optional<KeyRecord> keys(String name);

    /**
     * Stores a session.
     *
     * @throws StoreException also if the account does not exist or the hash is already stored
     */
    void createToken(TokenRecord token);

    /** @return the session with this token hash, expired or not, or empty */
    Optional<TokenRecord> token(String tokenHash);

    /**
     * @param cutoff sessions with {@code expiresAt <= cutoff} are deleted
     * @return how many were deleted
     */
    int deleteTokensExpiredBy(Instant cutoff);

    /**
     * Makes a message visible to its recipients, atomically: either the message and every
     * delivery are stored, or nothing is. Call only once the sealed message is durable.
     *
     * @param recipients distinct, existing account names, at least one
     * @throws StoreException also if the id exists or an account does not
     */
    default void createMessage(MessageRecord message, List<String> recipients) {
        if (!createMessage(message, recipients, List.of())) {
            throw new IllegalStateException("a message without blobs cannot fail to attach them");
        }
    }

    /**
     * Makes a message visible to its recipients with uploads as its blobs, atomically: either
     * the message, every delivery and every attachment are stored, or nothing is. Call only
     * once the sealed message itself is durable.
     *
     * @param recipients distinct, existing account names, at least one
     * @param blobs      distinct upload ids; each must be owned by the message's sender,
     *                   complete, unattached and not expired at {@link MessageRecord#sentAt()}
     * @return false if some upload in {@code blobs} is not like that (nothing is stored)
     * @throws StoreException also if the id exists or an account does not
     */
    boolean createMessage(MessageRecord message, List<String> recipients, List<String> blobs);

    /**
     * @param now messages with {@code expiresAt <= now} are left out
     * @return messages pending for {@code recipient}, in the order they were created
     */
    List<MessageRecord> pendingMessages(String recipient, Instant now);

    /**
     * Longest use of a remembered delivery on a database shared by several nodes
     * ({@link #rememberDeliveries}): the longest another node's acknowledgement or expiry can go
     * unseen by {@link #pendingMessage} here when its notice is lost. Covers the fetch that
     * follows a push and a client reconnecting within the minute.
     */
    java.time.Duration SHARED_RECENT_TTL = java.time.Duration.ofSeconds(60);

    /**
     * May answer from memory for messages stored recently (no database read). With one writer
     * (SQLite) the answer is always the database's. On a database shared by several nodes, while
     * {@link #rememberDeliveries remembering}, it is the database's for everything this node
     * did; an acknowledgement or expiry on another node is seen once it is passed to
     * {@link #forgetDeliveries(Collection)}, and at most {@link #SHARED_RECENT_TTL} after the
     * message was stored if that never happens (a lost notice). A stale answer can only go to a recipient of the
     * message (one who acknowledged it elsewhere, or any of them if another node's clock expired
     * it before this node's did): the recipients of a message never change.
     *
     * @param now an expired message counts as absent
     * @return the message if it is pending for {@code recipient}; empty for anyone else
     */
    Optional<MessageRecord> pendingMessage(String id, String recipient, Instant now);

    /**
     * Removes a message for one recipient, and the message itself when that was the last one.
     * Safe against concurrent acknowledgements by several recipients: exactly one of them
     * gets {@link Acknowledgement#LAST_RECIPIENT}.
     */
    Acknowledgement acknowledge(String id, String recipient);

    /**
     * Deletes expired messages with all their deliveries.
     *
     * @param now messages with {@code expiresAt <= now} are deleted
     * @return ids of the deleted messages, whose sealed bytes may now be deleted
     */
    List<String> deleteMessagesExpiredBy(Instant now);

    /**
     * On a database shared by several nodes: starts remembering the deliveries of the messages
     * this node stores, so that {@link #pendingMessage} answers them from memory, or stops and
     * forgets everything. Turn it on only while every other node's acknowledgements and expiries
     * reach {@link #forgetDeliveries(Collection)} (while this node listens for their notices);
     * off while they may not (listening was lost). Turning it on forgets what was remembered
     * before. Off until turned on. No effect with one writer (SQLite), which always remembers,
     * exactly. Any thread.
     *
     * @param remember true to start, false to stop
     */
    default void rememberDeliveries(boolean remember) {
    }

    /**
     * Forgets what this node remembers of these messages' deliveries ({@link #pendingMessage}
     * asks the database for them again): another node acknowledged or expired them. Ids not
     * remembered are ignored. Any thread.
     *
     * @param messageIds message ids as another node's notice gives them
     */
    default void forgetDeliveries(Collection<String> messageIds) {
    }

    /** @return true if a message row with this id exists, expired or not */
    boolean messageExists(String id);

    /**
     * @return the message with this id, expired or not, if its row exists (for its sender: to
     *         answer a retried send; recipients use {@link #pendingMessage})
     */
    Optional<MessageRecord> message(String id);

    /** @return the recipients the message is still pending for (any order; empty if none or no such message) */
    List<String> pendingRecipients(String messageId);

    /**
     * @return ids of the uploads attached to the message as its blobs (any order; empty
     *         if none or no such message)
     */
    List<String> messageBlobs(String messageId);

    /**
     * @param now messages with {@code expiresAt <= now}
     * @return ids of the uploads attached to those messages, to delete with them
     *         ({@link #deleteMessagesExpiredBy} removes their rows)
     */
    List<String> blobsOfMessagesExpiredBy(Instant now);

    // --- resumable uploads ------------------------------------------------------------------

    /**
     * Creates an upload unless it is incomplete (length above 0) and its owner already has
     * {@code maxIncomplete} incomplete, unattached uploads that expire after
     * {@link UploadRecord#createdAt()}. The check and the
     * insert are one statement (strict in SQLite; a concurrent insert may slip past it in a
     * database with weaker isolation).
     *
     * @param upload a new upload: offset 0, unattached
     * @return false if the owner is at the limit (nothing stored)
     * @throws StoreException also if the id exists or the owner does not
     */
    boolean createUpload(UploadRecord upload, int maxIncomplete);

    /**
     * The bytes {@code account} keeps on the relay, for its storage quota: the sizes of the
     * sealed messages it sent that still exist, and the {@code Upload-Length} of its uploads that
     * are attached to a message or not yet expired at {@code now} (complete or not).
     *
     * @return bytes, 0 or more
     */
    long storedBytes(String account, Instant now);

    /**
     * Which of {@code recipients} have an account, and {@link #storedBytes}{@code (sender, now)},
     * in one round trip: the checks of a send before its body is read.
     *
     * @param recipients account names (at most a few hundred)
     */
    SendCheck sendCheck(String sender, Collection<String> recipients, Instant now);

    /** @return the upload, in any state (expired, complete, attached), or empty */
    Optional<UploadRecord> upload(String id);

    /**
     * Records a new durable offset of an unattached upload; reaching its length completes it
     * (and records {@code now} as its completion time).
     *
     * @param offset    bytes now forced to disk, {@code 0 <= offset <= length}
     * @param keepUntil the upload's expiry from now on, if later than its current one: an upload
     *                  that keeps receiving bytes does not expire half-way
     * @return false if there is no such unattached upload (deleted, expired and swept, or
     *         attached meanwhile), or {@code offset} is larger than its length; nothing changed
     */
    boolean recordUploadOffset(String id, long offset, Instant now, Instant keepUntil);

    /**
     * Deletes an upload that is not attached to a message.
     *
     * @return false if there is no such unattached upload
     */
    boolean deleteUpload(String id);

    /**
     * @return ids of unattached uploads, complete or not, with {@code expiresAt <= now}: at most
     *         {@value #SWEEP_BATCH}, oldest expiry first
     */
    List<String> uploadsExpiredBy(Instant now);

    /** Most uploads one {@link #uploadsExpiredBy} names (a sweep takes the rest next time). */
    int SWEEP_BATCH = 1000;

    /**
     * Deletes those of {@code ids} that are still unattached uploads with {@code expiresAt <= now},
     * in one transaction.
     *
     * @return the ids deleted
     */
    List<String> deleteExpiredUploads(List<String> ids, Instant now);

    /** @return the account's sessions that have not expired by {@code now}, oldest first */
    List<TokenRecord> tokens(String account, Instant now);

    /** Records that a session was used at {@code at}. */
    void touchToken(String tokenHash, Instant at);

    /** Revokes one session of {@code account} by its {@link TokenRecord#id()}. @return true if there was one */
    boolean deleteToken(String account, String id);

    /** Revokes every session of {@code account} but the one with {@code keepTokenHash} (null: all). @return how many */
    int deleteTokensExcept(String account, String keepTokenHash);

    /** Replaces an account's password hash. @return false if there is no such account */
    boolean setPasswordHash(String account, String passwordHash);

    /** @return the account's second factor, confirmed or being enrolled */
    Optional<MfaRecord> mfa(String account);

    /** Starts (or restarts) enrolment: replaces an unconfirmed second factor. @return false if a confirmed one exists */
    boolean beginMfa(MfaRecord enrolling);

    /**
     * Puts an enrolment in force at {@code step} and replaces the recovery codes, in one transaction.
     *
     * @return false if there was no unconfirmed enrolment, or {@code step} is not after its last one
     */
    boolean confirmMfa(String account, long step, List<String> recoveryCodeHashes);

    /**
     * Accepts a code's time step once: only a step newer than the last accepted one passes
     * (RFC 6238 §5.2), atomically, so two logins with one code cannot both succeed.
     *
     * @return true if accepted
     */
    boolean acceptMfaStep(String account, long step);

    /** Uses a recovery code, once. @return true if it existed unused and is now used */
    boolean useRecoveryCode(String account, String codeHash, Instant now);

    /** @return unused recovery codes left */
    int recoveryCodesLeft(String account);

    /** Turns the second factor off: deletes it and its recovery codes. @return true if there was one */
    boolean deleteMfa(String account);

    /**
     * Sums over the whole relay, for its metrics (one statement; it reads every message and
     * upload row, so call it now and then, not per request).
     *
     * @return counts and bytes of the stored messages and uploads
     */
    StoreTotals totals();

    /** Releases connections; the store cannot be used afterwards. */
    @Override
    void close();
}
