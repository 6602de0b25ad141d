package dev.spillway.gateway.safety;

/**
 * The built-in check families a guard can turn on: {@code pii} and {@code secrets} (the detectors of
 * {@code redact.Detectors}), {@code injection} (the {@link InjectionScorer}) and {@code custom} (the
 * guard's own regexes and words) and {@code content-safety} (the external Azure AI Content Safety
 * check, prompts only).
 */
public enum Check {
    PII, SECRETS, INJECTION, CUSTOM, CONTENT_SAFETY;

    String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
