package dev.spillway.core.wire;

/**
 * Azure OpenAI's API versions: dated ones ({@code 2024-10-21}, {@code 2025-04-01-preview}) and
 * the rest ({@code v1}, {@code preview}, {@code latest}), which are newer than any date. Stateless.
 */
public final class ApiVersions {
    /**
     * The first version that knows {@code stream_options.include_usage} and
     * {@code max_completion_tokens} (2024-09-01-preview; the GA 2024-10-21 has both;
     * research/azure-api.md 1.1). Earlier versions refuse both as unrecognized arguments.
     */
    public static final String STREAM_USAGE_AND_MAX_COMPLETION_TOKENS_SINCE = "2024-09-01";

    private ApiVersions() {
    }

    /** Whether {@code version} is a dated version older than {@code date} ({@code yyyy-mm-dd}). */
    public static boolean datedBefore(String version, String date) {
        boolean dated = version.length() >= 10 && Character.isDigit(version.charAt(0));
        return dated && version.substring(0, 10).compareTo(date) < 0;
    }
}
