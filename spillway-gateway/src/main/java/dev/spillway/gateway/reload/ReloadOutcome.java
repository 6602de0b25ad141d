package dev.spillway.gateway.reload;

import java.time.Instant;
import java.util.List;

/**
 * What one reload did: applied a config (with the keys that need a restart), refused it, or found
 * nothing changed. Immutable.
 */
public sealed interface ReloadOutcome {
    /** The config in force: its digest, when it was applied, the changed keys that wait for a restart. */
    record Applied(String hash, Instant at, List<String> restartNeeded) implements ReloadOutcome {
        public Applied {
            restartNeeded = List.copyOf(restartNeeded);
        }
    }

    /** A config that was not applied, and every reason, each as {@code path: message}. */
    record Refused(String hash, Instant at, List<String> errors) implements ReloadOutcome {
        public Refused {
            errors = List.copyOf(errors);
        }
    }

    /** The source's digest equals the one in force. */
    record Unchanged(String hash) implements ReloadOutcome {
    }
}
