package dev.spillway.gateway.route.identity;

import static dev.spillway.gateway.route.identity.TokenSource.encode;

import dev.spillway.gateway.config.ManagedIdentityConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * The token requests of the gateway's managed identity, one per resource (audience): Azure OpenAI's
 * {@link #COGNITIVE_SERVICES}, Key Vault's {@link #KEY_VAULT}. Each consumer wraps its request in its
 * own {@link TokenSource}, which caches and refreshes. Stateless; thread-safe.
 */
public final class ManagedIdentity {
    public static final String COGNITIVE_SERVICES = "https://cognitiveservices.azure.com";
    public static final String KEY_VAULT = "https://vault.azure.net";
    /** The metadata endpoint's token API version (learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token). */
    static final String IMDS_API_VERSION = "2018-02-01";
    /** The App Service / Container Apps identity endpoint's version, answered with {@code expires_on}. */
    static final String APP_SERVICE_API_VERSION = "2019-08-01";
    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private final ManagedIdentityConfig config;
    private final Vertx vertx;

    public ManagedIdentity(ManagedIdentityConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    public ManagedIdentityConfig config() {
        return config;
    }

    /** How to ask for a token for {@code resource}, by the identity's kind. */
    public TokenRequest request(String resource) {
        return switch (config.effectiveKind()) {
            case IMDS -> get(config.imdsUrl() + "/metadata/identity/oauth2/token?api-version=" + IMDS_API_VERSION
                    + query(resource), "metadata", "true");
            case APP_SERVICE -> get(config.identityEndpoint().orElseThrow() + "?api-version=" + APP_SERVICE_API_VERSION
                    + query(resource), "x-identity-header", null);
            case WORKLOAD -> workload(resource);
            case AUTO -> throw new IllegalStateException("effectiveKind never answers auto");
        };
    }

    private String query(String resource) {
        return "&resource=" + encode(resource) + config.clientId().map(id -> "&client_id=" + encode(id)).orElse("");
    }

    /** A GET with one identifying header; {@code value} null means the identity header secret, read per fetch. */
    private TokenRequest get(String url, String header, String value) {
        return new TokenRequest() {
            @Override
            public Future<Prepared> prepare() {
                return Future.future(p -> p.complete(new Prepared(new RequestOptions().setMethod(HttpMethod.GET)
                        .setAbsoluteURI(url).putHeader("accept", "application/json").setIdleTimeout(10_000)
                        .putHeader(header, value != null ? value : config.identityHeader().orElseThrow().value()),
                        Buffer.buffer())));
            }

            @Override
            public String endpoint() {
                return java.net.URI.create(url).getHost();
            }
        };
    }

    /**
     * Workload identity: the projected service-account token (re-read on each fetch, as the kubelet
     * rotates it) is the client assertion of a client-credentials grant at Entra
     * (learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow#third-case-access-token-request-with-a-federated-credential).
     */
    private TokenRequest workload(String resource) {
        String url = config.authorityHost() + "/" + config.tenantId().orElseThrow() + "/oauth2/v2.0/token";
        return new TokenRequest() {
            @Override
            public Future<Prepared> prepare() {
                return vertx.fileSystem().readFile(config.tokenFile().orElseThrow().toString()).map(token -> new Prepared(
                        TokenSource.post(url), Buffer.buffer("grant_type=client_credentials&client_id="
                        + encode(config.clientId().orElseThrow()) + "&client_assertion_type=" + encode(ASSERTION_TYPE)
                        + "&client_assertion=" + encode(token.toString().strip()) + "&scope=" + encode(resource + "/.default"))));
            }

            @Override
            public String endpoint() {
                return config.authorityHost().getHost();
            }
        };
    }
}
