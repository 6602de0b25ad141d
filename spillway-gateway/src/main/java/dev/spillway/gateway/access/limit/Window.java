package dev.spillway.gateway.access.limit;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * A fixed counting window, aligned to UTC: the current minute, day or calendar month. Every
 * replica derives the same window id from its clock, so counters meet in the shared store.
 * Immutable.
 */
public enum Window {
    MINUTE, DAY, MONTH;

    private final String word = name().toLowerCase(java.util.Locale.ROOT);

    /** The lower-case name counters carry ({@code minute}); made once, not per request. */
    public String word() {
        return word;
    }

    /** The id of the window holding {@code now}: {@code m29391840}, {@code d2026-11-21}, {@code M2026-11}. */
    public String id(Instant now) {
        return switch (this) {
            case MINUTE -> "m" + Math.floorDiv(now.getEpochSecond(), 60);
            case DAY -> "d" + LocalDate.ofInstant(now, ZoneOffset.UTC);
            case MONTH -> "M" + YearMonth.from(now.atZone(ZoneOffset.UTC));
        };
    }

    /** When the window holding {@code now} ends. */
    public Instant end(Instant now) {
        return switch (this) {
            case MINUTE -> Instant.ofEpochSecond((Math.floorDiv(now.getEpochSecond(), 60) + 1) * 60);
            case DAY -> LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            case MONTH -> YearMonth.from(now.atZone(ZoneOffset.UTC)).plusMonths(1).atDay(1)
                    .atStartOfDay(ZoneOffset.UTC).toInstant();
        };
    }

    /** Time from {@code now} until the window resets; at least one millisecond. */
    public Duration untilReset(Instant now) {
        Duration d = Duration.between(now, end(now));
        return d.isNegative() || d.isZero() ? Duration.ofMillis(1) : d;
    }
}
