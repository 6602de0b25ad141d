package dev.spillway.gateway.server;

import dev.spillway.core.error.ErrorEnvelope;
import dev.spillway.core.error.SpillwayException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a failure becomes an HTTP answer: status, the error's headers, the request id (as
 * {@code x-spillway-request-id}, {@code apim-request-id} and {@code x-request-id}) and the OpenAI/Azure
 * envelope. Anything that is not a {@link SpillwayException} is a bug: logged with its stack, answered
 * as a plain 500 that leaks nothing. Stateless.
 */
public final class ErrorWriter {
    private static final Logger log = LoggerFactory.getLogger(ErrorWriter.class);

    private ErrorWriter() {
    }

    public static SpillwayException classify(Throwable e, String requestId) {
        if (e instanceof SpillwayException s) return s;
        log.error("request {} failed inside the gateway", requestId, e);
        return new SpillwayException.Internal("Spillway hit an internal error; request id " + requestId + ".");
    }

    public static Future<Void> write(HttpServerResponse response, SpillwayException e, String requestId) {
        if (response.headWritten()) return response.end();
        response.setStatusCode(e.status());
        for (Map.Entry<String, String> h : e.headers().entrySet()) response.putHeader(h.getKey(), h.getValue());
        response.putHeader("content-type", "application/json");
        // Azure's own errors carry both ids; clients and support tooling quote them.
        response.putHeader(RequestHandler.REQUEST_ID_HEADER, requestId).putHeader("apim-request-id", requestId)
                .putHeader("x-request-id", requestId);
        return response.end(Buffer.buffer(ErrorEnvelope.of(e)));
    }

    /** The SSE event that ends a broken stream honestly: an error, and no {@code [DONE]}. */
    static Buffer streamErrorEvent(SpillwayException e) {
        return Buffer.buffer("data: ").appendBytes(ErrorEnvelope.of(e)).appendString("\n\n");
    }
}
