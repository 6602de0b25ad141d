package dev.spillway.gateway.access.jwt;

import java.net.URI;
import java.util.concurrent.CompletionStage;

/** Reads a JWKS document without blocking the caller. Implementations are thread-safe. */
public interface JwksFetcher {
    CompletionStage<String> fetch(URI uri);
}
