package dev.spillway.gateway.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * Attribute keys of the OpenTelemetry GenAI and HTTP semantic conventions that Spillway sets
 * (https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/). Constants only.
 */
public final class GenAi {
    public static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
    public static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
    public static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    public static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    public static final AttributeKey<String> RESPONSE_ID = AttributeKey.stringKey("gen_ai.response.id");
    public static final AttributeKey<List<String>> FINISH_REASONS =
            AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
    public static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    public static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    public static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    public static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    public static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    public static final AttributeKey<String> APP = AttributeKey.stringKey("spillway.app");
    public static final AttributeKey<String> BACKEND = AttributeKey.stringKey("spillway.backend");
    public static final AttributeKey<Boolean> STREAMED = AttributeKey.booleanKey("spillway.streamed");
    public static final AttributeKey<Boolean> USAGE_ESTIMATED = AttributeKey.booleanKey("spillway.usage.estimated");

    private GenAi() {
    }
}
