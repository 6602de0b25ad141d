package dev.spillway.core.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A size in bytes, written in config as {@code 4MiB}, {@code 512KiB}, {@code 1GiB}, {@code 100KB} or plain bytes. */
public record DataSize(long bytes) {
    private static final Pattern FORM = Pattern.compile("(\\d+)\\s*([a-zA-Z]*)");

    public DataSize {
        if (bytes < 0) throw new IllegalArgumentException("must be >= 0 bytes, was " + bytes);
    }

    public static DataSize ofBytes(long bytes) {
        return new DataSize(bytes);
    }

    public static DataSize ofKibibytes(long kib) {
        return new DataSize(kib * 1024);
    }

    public static DataSize ofMebibytes(long mib) {
        return new DataSize(mib * 1024 * 1024);
    }

    /** Parses {@code text}; throws {@link IllegalArgumentException} naming the accepted forms. */
    public static DataSize parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) throw new IllegalArgumentException(invalid(text));
        long n = Long.parseLong(m.group(1));
        long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1;
            case "kb" -> 1_000;
            case "kib", "k" -> 1L << 10;
            case "mb" -> 1_000_000;
            case "mib", "m" -> 1L << 20;
            case "gb" -> 1_000_000_000;
            case "gib", "g" -> 1L << 30;
            default -> throw new IllegalArgumentException(invalid(text));
        };
        return new DataSize(Math.multiplyExact(n, unit));
    }

    private static String invalid(String text) {
        return "must be a size such as 4MiB, 512KiB or 1048576, was '" + text + "'";
    }

    @Override
    public String toString() {
        if (bytes % (1L << 20) == 0 && bytes > 0) return bytes / (1L << 20) + "MiB";
        if (bytes % (1L << 10) == 0 && bytes > 0) return bytes / (1L << 10) + "KiB";
        return bytes + "B";
    }
}
