package dev.spillway.core.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The shared, configured Jackson mapper. Numbers keep their exact text (big decimals, no double
 * round trip) so pass-through bodies reach the backend as the client wrote them; nesting depth is
 * capped so a hostile 10,000-deep document is a 400, not a stack overflow. Thread-safe.
 */
public final class Json {
    /** Deeper than any real chat request (tool schemas nest a few dozen levels at most). */
    public static final int MAX_NESTING_DEPTH = 200;

    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }
}
