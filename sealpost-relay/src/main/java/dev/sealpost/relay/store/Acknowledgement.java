package dev.sealpost.relay.store;

/** Outcome of {@link MetadataStore#acknowledge(String, String)}. */
public enum Acknowledgement {
    /** The message was not pending for that recipient (unknown, someone else's, or already acknowledged). */
    NOT_PENDING,
    /** Removed for that recipient; other recipients still have it. */
    ACKNOWLEDGED,
    /** Removed for the last recipient: the message row is gone and its sealed bytes may be deleted. */
    LAST_RECIPIENT
}
