package dev.spillway.gateway.telemetry;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.Secret;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code gateway.telemetry}: Prometheus metrics and OpenTelemetry traces. Immutable, validated.
 *
 * @param metrics        {@code metrics}, default true: serve {@code /metrics}
 * @param userLabel      {@code user-label}, default false: add the end user to request metrics (unbounded!)
 * @param maxLabelValues {@code max-label-values}, default 1000: distinct apps (and users) per metric;
 *                       later ones are counted as {@code other}
 * @param traces         {@code traces}, default true: create spans (the trace id is always echoed)
 * @param samplingRatio  {@code sampling-ratio}, default 0.1: share of new traces sampled (a sampled
 *                       incoming {@code traceparent} is always honoured)
 * @param otlpEndpoint   {@code otlp-endpoint}, default none: e.g. {@code http://127.0.0.1:4318/v1/traces}
 * @param otlpProtocol   {@code otlp-protocol}, default {@code http-protobuf} ({@code grpc} for port 4317)
 * @param serviceName    {@code service-name}, default {@code spillway-gateway}
 * @param metricsKey     {@code metrics-key}, default none: when set, {@code /metrics} answers only
 *                       a scraper that sends it ({@code Authorization: Bearer} or {@code api-key})
 */
public record TelemetryConfig(boolean metrics, boolean userLabel, int maxLabelValues, boolean traces,
        double samplingRatio, Optional<URI> otlpEndpoint, OtlpProtocol otlpProtocol, String serviceName,
        Optional<Secret> metricsKey) {

    /** The OTLP transport. */
    public enum OtlpProtocol { HTTP_PROTOBUF, GRPC }

    public TelemetryConfig {
        if (maxLabelValues < 1) throw new IllegalArgumentException("max-label-values: must be > 0, was " + maxLabelValues);
        if (!(samplingRatio >= 0 && samplingRatio <= 1)) {
            throw new IllegalArgumentException("sampling-ratio: must be between 0 and 1, was " + samplingRatio);
        }
        otlpEndpoint.ifPresent(u -> {
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                throw new IllegalArgumentException("otlp-endpoint: must be an http(s) URL, was " + u);
            }
        });
        Objects.requireNonNull(serviceName, "service-name: is required");
        Objects.requireNonNull(metricsKey, "metrics-key");
    }

    public static TelemetryConfig defaults() {
        return new TelemetryConfig(true, false, 1000, true, 0.1, Optional.empty(), OtlpProtocol.HTTP_PROTOBUF,
                "spillway-gateway", Optional.empty());
    }

    public static TelemetryConfig from(ConfigNode node) {
        node.allowOnly("metrics", "user-label", "max-label-values", "traces", "sampling-ratio", "otlp-endpoint",
                "otlp-protocol", "service-name", "metrics-key");
        TelemetryConfig d = defaults();
        boolean metrics = node.bool("metrics", d.metrics());
        boolean user = node.bool("user-label", d.userLabel());
        int max = node.integer("max-label-values", d.maxLabelValues());
        boolean traces = node.bool("traces", d.traces());
        double ratio = node.decimal("sampling-ratio", d.samplingRatio());
        Optional<String> endpoint = node.optionalString("otlp-endpoint");
        OtlpProtocol protocol = node.choice("otlp-protocol", OtlpProtocol.class, d.otlpProtocol());
        String service = node.string("service-name", d.serviceName());
        Optional<Secret> metricsKey = node.has("metrics-key") ? Optional.ofNullable(node.secret("metrics-key"))
                : Optional.empty();
        TelemetryConfig built = node.build(() -> new TelemetryConfig(metrics, user, max, traces, ratio,
                endpoint.map(TelemetryConfig::uri), protocol, service, metricsKey));
        return built == null ? d : built;
    }

    private static URI uri(String text) {
        try {
            return URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("otlp-endpoint: not a URL: " + text);
        }
    }
}
