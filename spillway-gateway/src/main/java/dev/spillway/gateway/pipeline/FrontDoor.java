package dev.spillway.gateway.pipeline;

/** Which API shape the client used: Azure's deployment routes, Azure's v1 routes, or plain OpenAI. */
public enum FrontDoor {
    /** {@code /openai/deployments/{deployment}/...?api-version=}: the deployment is in the path. */
    AZURE,
    /** {@code /openai/v1/...}: the deployment is the body's {@code model}. */
    AZURE_V1,
    /** {@code /v1/...}: the deployment alias is the body's {@code model}. */
    OPENAI
}
