package dev.sealpost.relay.store;

/**
 * What the whole relay keeps, for its metrics: counts and bytes summed over every account,
 * never broken down by one.
 *
 * @param messages          sealed messages stored (waiting, or expired and not yet swept)
 * @param messageBytes      their sizes, in bytes
 * @param uploads           uploads stored: unattached (complete or not) and attached to a message
 * @param incompleteUploads uploads whose durable offset has not reached their length
 * @param uploadBytes       the durable bytes of every upload (its recorded offset), in bytes
 */
public record StoreTotals(long messages, long messageBytes, long uploads, long incompleteUploads, long uploadBytes) {
    /** Nothing stored. */
    public static final StoreTotals EMPTY = new StoreTotals(0, 0, 0, 0, 0);
}
