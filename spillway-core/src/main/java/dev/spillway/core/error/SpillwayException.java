package dev.spillway.core.error;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The one family of errors Spillway answers with. Each type maps to one HTTP status and one
 * OpenAI/Azure error {@code code}/{@code type}; {@link ErrorEnvelope} writes the body. These are
 * rejections on the hot path, so they carry no stack trace. A backend's own 4xx/5xx is not an
 * exception: it is passed through as a response.
 */
public abstract sealed class SpillwayException extends RuntimeException {
    private final String code;
    private final String param;

    private SpillwayException(String code, String message, String param) {
        super(message, null, false, false);
        this.code = code;
        this.param = param;
    }

    public abstract int status();

    /** The envelope's {@code error.code}: Azure's value where Azure has one ({@code "429"}, {@code DeploymentNotFound}). */
    public String code() {
        return code;
    }

    /** The envelope's {@code error.type}, in OpenAI's vocabulary. */
    public abstract String type();

    public Optional<String> param() {
        return Optional.ofNullable(param);
    }

    /** Azure's {@code innererror} object for the envelope, when this error has one. */
    public Optional<com.fasterxml.jackson.databind.JsonNode> innerError() {
        return Optional.empty();
    }

    /** Extra response headers this error requires ({@code Retry-After}, {@code Allow}). */
    public Map<String, String> headers() {
        return Map.of();
    }

    /** 400: the request is malformed or breaks a documented rule. */
    public static final class InvalidRequest extends SpillwayException {
        public InvalidRequest(String code, String message, String param) {
            super(code, message, param);
        }

        public InvalidRequest(String message) {
            this("invalid_request_error", message, null);
        }

        @Override public int status() { return 400; }
        @Override public String type() { return "invalid_request_error"; }
    }

    /** 401: no credential, or one that is not valid. */
    public static final class Unauthenticated extends SpillwayException {
        public static final String AZURE_MESSAGE = "Access denied due to invalid subscription key or wrong API endpoint. "
                + "Make sure to provide a valid key for an active subscription and use a correct regional API endpoint "
                + "for your resource.";

        public Unauthenticated(String message) {
            super("401", message, null);
        }

        @Override public int status() { return 401; }
        @Override public String type() { return "invalid_request_error"; }
    }

    /** 403: the caller is known but may not do this, or its quota or budget is used up. */
    public static final class Forbidden extends SpillwayException {
        public Forbidden(String code, String message) {
            super(code, message, null);
        }

        @Override public int status() { return 403; }
        @Override public String type() { return "permission_error"; }
    }

    /** 404: no such route or deployment. */
    public static final class NotFound extends SpillwayException {
        public NotFound(String code, String message) {
            super(code, message, null);
        }

        public static NotFound deployment(String name) {
            return new NotFound("DeploymentNotFound", "The API deployment '" + name
                    + "' does not exist on this gateway. Check the deployment name in the URL or the 'model' field.");
        }

        /** As {@link #deployment(String)}, naming the deployments that do exist (at most 20). */
        public static NotFound deployment(String name, java.util.List<String> known) {
            String list = String.join(", ", known.subList(0, Math.min(20, known.size())));
            return new NotFound("DeploymentNotFound", "The API deployment '" + name + "' does not exist on this gateway"
                    + (known.isEmpty() ? "." : "; it serves: " + list + (known.size() > 20 ? ", ..." : "") + "."));
        }

        @Override public int status() { return 404; }
        @Override public String type() { return "invalid_request_error"; }
    }

    /** 405: the route exists but not for this method. */
    public static final class MethodNotAllowed extends SpillwayException {
        private final String allow;

        public MethodNotAllowed(String method, String allow) {
            super("method_not_allowed", "Method " + method + " is not allowed here; use " + allow + ".", null);
            this.allow = allow;
        }

        @Override public int status() { return 405; }
        @Override public String type() { return "invalid_request_error"; }
        @Override public Map<String, String> headers() { return Map.of("Allow", allow); }
    }

    /** 408: the client did not finish sending its request in time. */
    public static final class RequestTimeout extends SpillwayException {
        public RequestTimeout(String message) {
            super("request_timeout", message, null);
        }

        @Override public int status() { return 408; }
        @Override public String type() { return "invalid_request_error"; }
    }

    /** 413: the body is over the configured limit. */
    public static final class PayloadTooLarge extends SpillwayException {
        public PayloadTooLarge(long limitBytes) {
            super("request_too_large", "The request body is larger than this gateway accepts ("
                    + limitBytes + " bytes).", null);
        }

        @Override public int status() { return 413; }
        @Override public String type() { return "invalid_request_error"; }
    }

    /** 429: a rate limit; the client may retry after {@link #retryAfter()}. */
    public static final class RateLimited extends SpillwayException {
        private final Duration retryAfter;
        private final Map<String, String> extraHeaders;

        public RateLimited(String message, Duration retryAfter) {
            this(message, retryAfter, Map.of());
        }

        /** With more headers to send, such as Azure's {@code x-ratelimit-remaining-requests: 0}. */
        public RateLimited(String message, Duration retryAfter, Map<String, String> extraHeaders) {
            super("429", message, null);
            this.retryAfter = retryAfter;
            this.extraHeaders = Map.copyOf(extraHeaders);
        }

        public Duration retryAfter() {
            return retryAfter;
        }

        @Override public int status() { return 429; }
        @Override public String type() { return "rate_limit_error"; }

        @Override
        public Map<String, String> headers() {
            long ms = Math.max(1, retryAfter.toMillis());
            Map<String, String> h = new java.util.LinkedHashMap<>(extraHeaders);
            h.put("retry-after", Long.toString((ms + 999) / 1000));
            h.put("retry-after-ms", Long.toString(ms));
            return h;
        }
    }

    /** 500: a fault in Spillway itself; the message never carries internals. */
    public static final class Internal extends SpillwayException {
        public Internal(String message) {
            super("internal_error", message, null);
        }

        @Override public int status() { return 500; }
        @Override public String type() { return "api_error"; }
    }

    /** 502: the backend could not be reached or answered something unusable. */
    public static final class BadGateway extends SpillwayException {
        public BadGateway(String message) {
            super("bad_gateway", message, null);
        }

        @Override public int status() { return 502; }
        @Override public String type() { return "api_error"; }
    }

    /** 503: no backend can take the request now. */
    public static final class Unavailable extends SpillwayException {
        public Unavailable(String message) {
            this("no_healthy_backend", message);
        }

        /** With its own code, for a dependency other than the backends ({@code content_safety_unavailable}). */
        public Unavailable(String code, String message) {
            super(code, message, null);
        }

        @Override public int status() { return 503; }
        @Override public String type() { return "api_error"; }
    }

    /** 503: the gateway itself is at a limit (its in-flight body memory); retry after a moment. */
    public static final class Overloaded extends SpillwayException {
        private final Duration retryAfter;

        public Overloaded(String message, Duration retryAfter) {
            super("server_busy", message, null);
            this.retryAfter = retryAfter;
        }

        @Override public int status() { return 503; }
        @Override public String type() { return "api_error"; }

        @Override
        public Map<String, String> headers() {
            return Map.of("retry-after", Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
    }

    /** 504: the backend did not answer in time. */
    public static final class GatewayTimeout extends SpillwayException {
        public GatewayTimeout(String message) {
            super("upstream_timeout", message, null);
        }

        @Override public int status() { return 504; }
        @Override public String type() { return "timeout_error"; }
    }

    /**
     * 400: the gateway's safety checks blocked the prompt; Azure's {@code content_filter} error, with
     * {@code innererror.content_filter_result} saying which checks fired.
     */
    public static final class ContentFiltered extends SpillwayException {
        private final com.fasterxml.jackson.databind.node.ObjectNode filterResult;

        public ContentFiltered(String message, com.fasterxml.jackson.databind.node.ObjectNode filterResult) {
            super("content_filter", message, "prompt");
            this.filterResult = filterResult.deepCopy();
        }

        @Override public int status() { return 400; }
        @Override public String type() { return "invalid_request_error"; }

        @Override
        public Optional<com.fasterxml.jackson.databind.JsonNode> innerError() {
            com.fasterxml.jackson.databind.node.ObjectNode inner = dev.spillway.core.wire.Json.MAPPER.createObjectNode();
            inner.put("code", "ResponsibleAIPolicyViolation");
            inner.set("content_filter_result", filterResult.deepCopy());
            return Optional.of(inner);
        }
    }
}
