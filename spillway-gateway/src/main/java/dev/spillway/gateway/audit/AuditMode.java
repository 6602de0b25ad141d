package dev.spillway.gateway.audit;

/** How much of an app's traffic the audit log keeps: nothing, metadata only, or redacted bodies too. */
public enum AuditMode { OFF, METADATA, FULL }
