-- The quota check before every send sums the sizes of the sender's waiting messages
-- (storedBytes): without an index that read every message row, so a send's cost grew with the
-- relay's whole backlog (issue 14: 427 sends/s with ~4,000 messages waiting, less as they piled up).
-- (sender, size) answers the sum from the index alone.
CREATE INDEX messages_by_sender ON messages (sender, size);
