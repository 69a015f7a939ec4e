package dev.sealpost.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentDeliveriesTest {
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private static MessageRecord message(String id) {
        return new MessageRecord(id, "alice", 10, T0, T0.plusSeconds(60));
    }

    @Test
    void answersForRecipientsAndExpiry_nullWhenNotRemembered() {
        RecentDeliveries recent = new RecentDeliveries(4);
        recent.stored(message("m1"), List.of("bob", "carol"));
        assertEquals(Optional.of(message("m1")), recent.pending("m1", "bob", T0));
        assertEquals(Optional.of(message("m1")), recent.pending("m1", "carol", T0.plusSeconds(60).minusMillis(1)));
        assertEquals(Optional.empty(), recent.pending("m1", "carol", T0.plusSeconds(60)), "expired at its instant, as the query");
        assertEquals(Optional.empty(), recent.pending("m1", "alice", T0), "the sender is no recipient");
        assertNull(recent.pending("m2", "bob", T0), "never stored here: ask the database");
        recent.forget("m1");
        assertNull(recent.pending("m1", "bob", T0), "forgotten: ask the database");
    }

    @Test
    void keepsAtMostItsCapacity_oldestOutFirst() {
        RecentDeliveries recent = new RecentDeliveries(2);
        recent.stored(message("m1"), List.of("bob"));
        recent.stored(message("m2"), List.of("bob"));
        recent.forget(List.of("m2"));
        recent.stored(message("m3"), List.of("bob"));
        assertNull(recent.pending("m1", "bob", T0));
        assertNull(recent.pending("m2", "bob", T0));
        assertEquals(Optional.of(message("m3")), recent.pending("m3", "bob", T0));
        recent.stored(message("m4"), List.of("bob"));
        recent.stored(message("m5"), List.of("bob"));
        assertNull(recent.pending("m3", "bob", T0));
        assertEquals(Optional.of(message("m5")), recent.pending("m5", "bob", T0));
        assertThrows(IllegalArgumentException.class, () -> new RecentDeliveries(0));
    }

    @Test
    void shared_suspendedUntilResumed_eachEntryUsedForAtMostTheTtl() {
        AtomicLong nanos = new AtomicLong(1_000);
        RecentDeliveries recent = RecentDeliveries.shared(4, Duration.ofSeconds(60), nanos::get);
        recent.stored(message("m1"), List.of("bob"));
        assertNull(recent.pending("m1", "bob", T0), "suspended: nothing is added");

        recent.resume();
        recent.stored(message("m1"), List.of("bob"));
        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        recent.stored(message("m2"), List.of("bob"));
        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        assertEquals(Optional.of(message("m1")), recent.pending("m1", "bob", T0), "60 s after it was added: still used");
        assertEquals(Optional.empty(), recent.pending("m1", "carol", T0));
        nanos.incrementAndGet();
        assertNull(recent.pending("m1", "bob", T0), "over 60 s: ask the database");
        assertNull(recent.pending("m1", "carol", T0), "over 60 s: ask the database, for anyone");
        assertEquals(Optional.of(message("m2")), recent.pending("m2", "bob", T0));
    }

    @Test
    void shared_suspendForgetsEverything_andResumeStartsAfresh() {
        RecentDeliveries recent = RecentDeliveries.shared(4, Duration.ofSeconds(60), System::nanoTime);
        recent.resume();
        recent.stored(message("m1"), List.of("bob"));
        recent.suspend();
        assertNull(recent.pending("m1", "bob", T0));
        recent.stored(message("m2"), List.of("bob"));
        assertNull(recent.pending("m2", "bob", T0), "nothing is added while suspended");
        recent.resume();
        assertNull(recent.pending("m1", "bob", T0));
        recent.stored(message("m3"), List.of("bob"));
        assertEquals(Optional.of(message("m3")), recent.pending("m3", "bob", T0));
        recent.resume();
        assertNull(recent.pending("m3", "bob", T0), "resuming forgets what may have missed other nodes' notices");
        assertThrows(IllegalArgumentException.class, () -> RecentDeliveries.shared(4, Duration.ZERO, System::nanoTime));
    }
}
