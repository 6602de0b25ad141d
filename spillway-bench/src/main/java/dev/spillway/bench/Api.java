package dev.spillway.bench;

/** Which front door a load run calls: the Azure deployment route or the OpenAI {@code /v1} route. */
public enum Api {
    /** {@code POST /openai/deployments/{deployment}/chat/completions?api-version=...}, {@code api-key} header. */
    AZURE,
    /** {@code POST /v1/chat/completions} with {@code model} in the body, {@code Authorization: Bearer}. */
    OPENAI
}
