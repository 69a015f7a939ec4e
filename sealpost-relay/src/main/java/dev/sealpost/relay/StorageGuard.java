package dev.sealpost.relay;

import dev.sealpost.relay.store.MetadataStore;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, before any byte of a new upload or message is written, whether the relay can take
 * it: the account's quota ({@link RelayConfig.Storage#quotaBytes()}) and the free space kept
 * back on the data folder's disk ({@link RelayConfig.Storage#reserveBytes()}). Both are checked
 * against what the request declares (an upload's {@code Upload-Length}, a message's
 * {@code Content-Length} or the message limit), so a refusal costs the relay nothing. Two
 * requests checked at the same moment can together pass a bound by at most their own sizes;
 * the reserve absorbs that.
 */
final class StorageGuard {
    private static final Logger LOG = LoggerFactory.getLogger(StorageGuard.class);

    private final MetadataStore store;
    private final FileStore disk;
    private final RelayConfig.Storage limits;
    private final Clock clock;
    private final long localBytes;

    /**
     * @param dataDir    the relay's data folder (its disk is the one watched)
     * @param localBytes the most bytes of one upload or message that stay on that disk: unbounded
     *                   ({@link Long#MAX_VALUE}) for folders; with an object store only what a node
     *                   spools on its way there (two parts)
     * @throws IOException if its file store cannot be found
     */
    StorageGuard(MetadataStore store, Path dataDir, RelayConfig.Storage limits, Clock clock, long localBytes) throws IOException {
        this.store = store;
        this.disk = Files.getFileStore(dataDir);
        this.limits = limits;
        this.clock = clock;
        this.localBytes = localBytes;
    }

    /**
     * @param account who will own the bytes
     * @param bytes   how many bytes the new upload or message may take
     * @throws ApiError.InsufficientStorage 507 if the disk would go below the reserve or the
     *                                      account over its quota
     */
    void admit(String account, long bytes) {
        admit(account, bytes, -1);
    }

    /**
     * As {@link #admit(String, long)}, with the account's stored bytes read already
     * ({@link MetadataStore#sendCheck}), or -1 to read them here.
     */
    void admit(String account, long bytes, long storedBytes) {
        long usable;
        try {
            usable = disk.getUsableSpace();
        } catch (IOException e) {
            usable = Long.MAX_VALUE; // cannot tell: the write itself will fail cleanly if the disk is full
        }
        if (usable - Math.min(bytes, localBytes) < limits.reserveBytes()) {
            LOG.warn("refusing {} bytes for {}: {} bytes free on the relay's disk, {} kept in reserve",
                    bytes, account, usable, limits.reserveBytes());
            throw new ApiError.InsufficientStorage("the relay is short of disk space; try again later");
        }
        long stored = storedBytes >= 0 ? storedBytes : store.storedBytes(account, clock.instant());
        if (stored + bytes > limits.quotaBytes()) {
            throw new ApiError.InsufficientStorage("storage quota reached: " + account + " keeps " + stored
                    + " of " + limits.quotaBytes() + " bytes on this relay; " + bytes + " more do not fit"
                    + " (delete unfinished uploads, or wait until your messages are received)");
        }
    }
}
