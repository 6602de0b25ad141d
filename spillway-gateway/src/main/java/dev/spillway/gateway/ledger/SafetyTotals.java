package dev.spillway.gateway.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Requests of one group key on which one safety check acted, by action: how many it blocked and
 * how many it redacted (from the ledger's {@code safety} words, {@code check:action}). Immutable.
 */
public record SafetyTotals(String key, String check, long blocked, long redacted) {

    /** Adds up ledger rows' safety words per key and check. One per query, not thread-safe. */
    public static final class Counter {
        private final Map<String, Map<String, long[]>> byKey = new TreeMap<>();

        /** Counts one request's words ({@code injection:block pii:redact}); other actions are not counted. */
        public void add(String key, String words) {
            for (String word : words.split(" ")) {
                int colon = word.lastIndexOf(':');
                if (colon <= 0) continue;
                String action = word.substring(colon + 1);
                int slot = action.equals("block") ? 0 : action.equals("redact") ? 1 : -1;
                if (slot < 0) continue;
                byKey.computeIfAbsent(key, k -> new TreeMap<>())
                        .computeIfAbsent(word.substring(0, colon), c -> new long[2])[slot]++;
            }
        }

        public List<SafetyTotals> totals() {
            List<SafetyTotals> out = new ArrayList<>();
            byKey.forEach((key, checks) -> checks.forEach((check, n) -> out.add(new SafetyTotals(key, check, n[0], n[1]))));
            return out;
        }
    }
}
