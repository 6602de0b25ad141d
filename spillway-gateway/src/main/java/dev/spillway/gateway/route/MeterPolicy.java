package dev.spillway.gateway.route;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.BufferBytes;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.pipeline.Chain;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.Reply;
import dev.spillway.gateway.pipeline.Usage;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Attempt tier: records the tokens the backend reports. A whole JSON body is scanned for its
 * top-level {@code usage} without building a tree; a stream is wrapped in an {@link SseMeter},
 * which picks up the usage chunk (removing it again when the client did not ask for it) and hands
 * the generated text to the exchange's {@code generatedText} (the ledger's count of a stream cut
 * short) in the same pass. Stateless.
 */
public final class MeterPolicy implements Policy {
    /** Reads the usage object mid-document, so it must not demand the end of input; made once. */
    private static final com.fasterxml.jackson.databind.ObjectReader USAGE_READER = Json.MAPPER.reader()
            .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @Override
    public Future<Reply> apply(Exchange exchange, Chain chain) {
        return chain.proceed(exchange).map(reply -> {
            if (!reply.isSuccess()) return reply;
            if (reply.body() instanceof Reply.Body.Full full) {
                usageOf(full.bytes()).ifPresent(exchange::usage);
            } else if (reply.body() instanceof Reply.Body.Streamed s) {
                reply.body(new Reply.Body.Streamed(
                        new SseMeter(s.chunks(), exchange.clientWantsUsage(), exchange::usage,
                                exchange.generatedText()), s.cancel()));
            }
            return reply;
        });
    }

    /** The top-level {@code usage} of a JSON response, if it has one. */
    static java.util.Optional<Usage> usageOf(Buffer json) {
        BufferBytes bytes = BufferBytes.of(json);
        try (JsonParser p = Json.MAPPER.createParser(bytes.array(), bytes.offset(), bytes.length())) {
            if (p.nextToken() != JsonToken.START_OBJECT) return java.util.Optional.empty();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("usage".equals(field) && value == JsonToken.START_OBJECT) {
                    return java.util.Optional.of(toUsage(USAGE_READER.readTree(p)));
                }
                p.skipChildren();
            }
        } catch (IOException e) {
            // not JSON after all: nothing to meter from the body
        }
        return java.util.Optional.empty();
    }

    static Usage toUsage(JsonNode u) {
        return Usage.reported(u);
    }
}
