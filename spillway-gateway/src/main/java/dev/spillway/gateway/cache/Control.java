package dev.spillway.gateway.cache;

import io.vertx.core.MultiMap;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one request asks of the cache, from {@code x-spillway-cache} and {@code Cache-Control}
 * (comma-separated directives, case-insensitive): {@code no-cache} skips the lookup (the answer
 * may still be stored), {@code no-store} keeps the answer out of the cache, {@code store} (our
 * header only) asks to store an answer that is not deterministic. Immutable.
 */
record Control(boolean noCache, boolean noStore, boolean store) {
    static Control of(MultiMap headers) {
        Set<String> ours = directives(headers.get(CachePolicy.HEADER));
        Set<String> standard = directives(headers.get("cache-control"));
        boolean noStore = ours.contains("no-store") || standard.contains("no-store");
        return new Control(ours.contains("no-cache") || standard.contains("no-cache"), noStore,
                !noStore && ours.contains("store"));
    }

    private static Set<String> directives(String value) {
        if (value == null) return Set.of();
        return Arrays.stream(value.toLowerCase(Locale.ROOT).split(",")).map(String::strip).collect(Collectors.toSet());
    }
}
