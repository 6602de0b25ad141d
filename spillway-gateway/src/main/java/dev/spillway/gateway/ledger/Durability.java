package dev.spillway.gateway.ledger;

/**
 * When a reply may end relative to its records ({@code ledger.durability}, {@code audit.durability}):
 * {@code STRICT} holds the reply's last byte until the record is fsync'd in its spool (one group
 * commit, {@code commit-interval}, shared by all requests ending meanwhile); {@code RELAXED} ends
 * the reply at once and writes the record behind it, so a crash in between loses a record the
 * client saw succeed.
 */
public enum Durability {
    STRICT,
    RELAXED
}
