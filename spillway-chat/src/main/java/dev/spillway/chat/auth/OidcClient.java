package dev.spillway.chat.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.spillway.core.wire.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * OpenID Connect sign-in with authorization code + PKCE (S256). Reads the provider's discovery
 * document once, verifies ID tokens with Nimbus JOSE+JWT against the provider's JWKS with pinned
 * algorithms, exact issuer, audience = client id, required {@code exp}/{@code iat}/{@code sub} and
 * the login's nonce. Blocking HTTP: call it on a virtual thread. Thread-safe; one per server.
 */
public final class OidcClient {
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256,
            JWSAlgorithm.ES256);

    private final OidcConfig config;
    private final HttpClient http;
    private final Clock clock;
    private final PendingLogins pending;
    private volatile Provider provider;

    public OidcClient(OidcConfig config, Clock clock, SessionStore tokens) {
        this.config = config;
        this.clock = clock;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.pending = new PendingLogins(clock, tokens);
    }

    /** The provider's endpoints from discovery, and a caching JWKS source. */
    private record Provider(URI authorizationEndpoint, URI tokenEndpoint, JWKSource<SecurityContext> keys,
                            boolean secretPost) {
    }

    /** A sign-in failed; the message is safe to show the user. */
    public static final class OidcException extends RuntimeException {
        public OidcException(String message) {
            super(message);
        }
    }

    /** Starts a login: where to send the browser, and the state to bind to it in a cookie. */
    public record Start(URI authorizationUrl, String state) {
    }

    public String displayName() {
        return config.displayName();
    }

    public Start begin() {
        Provider p = provider();
        PendingLogins.Pending login = pending.create();
        String query = "response_type=code"
                + "&client_id=" + enc(config.clientId())
                + "&redirect_uri=" + enc(config.redirectUri().toString())
                + "&scope=" + enc(String.join(" ", config.scopes()))
                + "&state=" + enc(login.state())
                + "&nonce=" + enc(login.nonce())
                + "&code_challenge=" + enc(challenge(login.verifier()))
                + "&code_challenge_method=S256";
        String base = p.authorizationEndpoint().toString();
        return new Start(URI.create(base + (base.contains("?") ? "&" : "?") + query), login.state());
    }

    /**
     * Finishes a login: checks {@code state} matches the browser's cookie and a pending login,
     * redeems the code with the PKCE verifier and verifies the ID token.
     */
    public ChatUser complete(String state, String code, String browserState) {
        if (state.isEmpty() || !MessageDigest.isEqual(bytes(state), bytes(browserState))) {
            throw new OidcException("The sign-in response does not belong to this browser; please start again.");
        }
        PendingLogins.Pending login = pending.take(state)
                .orElseThrow(() -> new OidcException("The sign-in took too long or was already used; please start again."));
        JsonNode tokens = redeem(provider(), code, login.verifier());
        String idToken = tokens.path("id_token").asText("");
        if (idToken.isEmpty()) throw new OidcException("The identity provider returned no ID token.");
        return user(verify(idToken, login.nonce()));
    }

    private JsonNode redeem(Provider p, String code, String verifier) {
        StringBuilder form = new StringBuilder("grant_type=authorization_code")
                .append("&code=").append(enc(code))
                .append("&redirect_uri=").append(enc(config.redirectUri().toString()))
                .append("&code_verifier=").append(enc(verifier))
                .append("&client_id=").append(enc(config.clientId()));
        HttpRequest.Builder request = HttpRequest.newBuilder(p.tokenEndpoint()).timeout(Duration.ofSeconds(10))
                .header("content-type", "application/x-www-form-urlencoded").header("accept", "application/json");
        config.clientSecret().ifPresent(secret -> {
            if (p.secretPost()) {
                form.append("&client_secret=").append(enc(secret.value()));
            } else {
                String basic = enc(config.clientId()) + ":" + enc(secret.value());
                request.header("authorization", "Basic " + Base64.getEncoder().encodeToString(bytes(basic)));
            }
        });
        JsonNode body = getJson(request.POST(HttpRequest.BodyPublishers.ofString(form.toString())).build());
        if (body.has("error")) {
            throw new OidcException("The identity provider refused the sign-in: " + body.path("error").asText());
        }
        return body;
    }

    JWTClaimsSet verify(String idToken, String nonce) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, provider().keys()));
        JWTClaimsSet exact = new JWTClaimsSet.Builder().issuer(config.issuer().toString()).claim("nonce", nonce).build();
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(config.clientId(), exact,
                Set.of("sub", "exp", "iat")) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        });
        try {
            return processor.process(idToken, null);
        } catch (Exception e) {
            throw new OidcException("The ID token could not be verified: " + e.getMessage());
        }
    }

    private ChatUser user(JWTClaimsSet claims) {
        String name = firstNonBlank(claims.getClaim("preferred_username"), claims.getClaim("name"),
                claims.getClaim("email"), claims.getSubject());
        Object raw = claims.getClaim(config.groupsClaim());
        List<String> groups = raw instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                : raw instanceof String s ? List.of(s) : List.of();
        return new ChatUser("oidc:" + claims.getSubject(), name, Set.copyOf(groups));
    }

    private Provider provider() {
        Provider p = provider;
        if (p != null) return p;
        synchronized (this) {
            if (provider == null) provider = discover();
            return provider;
        }
    }

    private Provider discover() {
        String issuer = config.issuer().toString();
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        JsonNode doc = getJson(HttpRequest.newBuilder(URI.create(base + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(10)).GET().build());
        if (!issuer.equals(doc.path("issuer").asText())) {
            throw new OidcException("The identity provider's discovery document names issuer '"
                    + doc.path("issuer").asText() + "', expected '" + issuer + "'.");
        }
        JsonNode methods = doc.path("token_endpoint_auth_methods_supported");
        boolean post = methods.isArray() && methods.toString().contains("client_secret_post")
                && !methods.toString().contains("client_secret_basic");
        try {
            JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(
                    URI.create(doc.path("jwks_uri").asText()).toURL()).build();
            return new Provider(URI.create(doc.path("authorization_endpoint").asText()),
                    URI.create(doc.path("token_endpoint").asText()), keys, post);
        } catch (IOException | IllegalArgumentException e) {
            throw new OidcException("The identity provider's discovery document is incomplete: " + e.getMessage());
        }
    }

    private JsonNode getJson(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = Json.MAPPER.readTree(response.body());
            if (response.statusCode() / 100 != 2 && !body.has("error")) {
                throw new OidcException("The identity provider answered " + response.statusCode() + ".");
            }
            return body;
        } catch (IOException e) {
            throw new OidcException("The identity provider could not be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OidcException("Interrupted while calling the identity provider.");
        }
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String firstNonBlank(Object... values) {
        for (Object v : values) if (v instanceof String s && !s.isBlank()) return s;
        return "user";
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
