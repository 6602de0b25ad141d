package dev.spillway.core.signin;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.spillway.core.wire.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * OpenID Connect sign-in with authorization code + PKCE (S256), shared by the chat app and the
 * gateway's consoles. Reads the provider's discovery document once, verifies ID tokens with Nimbus
 * JOSE+JWT against the provider's JWKS (cached by Nimbus, re-read on an unknown key) with pinned
 * algorithms, exact issuer, audience = client id, required {@code exp}/{@code iat}/{@code sub} and
 * the login's nonce; what the app makes of the verified claims is its own business. Every call it
 * makes (discovery, token, JWKS) goes only to hosts {@code reachable} accepts and follows no
 * redirect. Blocking HTTP: call it on a worker or virtual thread. Thread-safe; one per server.
 */
public final class OidcClient {
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256,
            JWSAlgorithm.ES256);
    private static final int MAX_DOCUMENT = 512 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final OidcConfig config;
    private final HttpClient http;
    private final Clock clock;
    private final PendingLogins pending;
    private final Predicate<URI> reachable;
    private volatile Provider provider;

    /**
     * @param reachable whether a URL the provider's discovery document names may be called (the
     *     gateway's {@code safety.outbound-hosts}); the issuer itself is checked with the config
     */
    public OidcClient(OidcConfig config, Clock clock, RandomGenerator random, Predicate<URI> reachable) {
        this.config = config;
        this.clock = clock;
        this.reachable = reachable;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        this.pending = new PendingLogins(clock, random);
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
     * redeems the code with the PKCE verifier and returns the verified ID token's claims.
     */
    public JWTClaimsSet complete(String state, String code, String browserState) {
        if (state.isEmpty() || !MessageDigest.isEqual(bytes(state), bytes(browserState))) {
            throw new OidcException("The sign-in response does not belong to this browser; please start again.");
        }
        PendingLogins.Pending login = pending.take(state)
                .orElseThrow(() -> new OidcException("The sign-in took too long or was already used; please start again."));
        JsonNode tokens = redeem(provider(), code, login.verifier());
        String idToken = tokens.path("id_token").asText("");
        if (idToken.isEmpty()) throw new OidcException("The identity provider returned no ID token.");
        return verify(idToken, login.nonce());
    }

    private JsonNode redeem(Provider p, String code, String verifier) {
        StringBuilder form = new StringBuilder("grant_type=authorization_code")
                .append("&code=").append(enc(code))
                .append("&redirect_uri=").append(enc(config.redirectUri().toString()))
                .append("&code_verifier=").append(enc(verifier))
                .append("&client_id=").append(enc(config.clientId()));
        HttpRequest.Builder request = HttpRequest.newBuilder(p.tokenEndpoint()).timeout(TIMEOUT)
                .header("content-type", "application/x-www-form-urlencoded").header("accept", "application/json");
        config.clientSecret().ifPresent(secret -> {
            if (p.secretPost()) {
                form.append("&client_secret=").append(enc(secret.value()));
            } else {
                // RFC 6749 section 2.3.1: the client id and secret are form-encoded before Basic.
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
                .timeout(TIMEOUT).GET().build());
        if (!issuer.equals(doc.path("issuer").asText())) {
            throw new OidcException("The identity provider's discovery document names issuer '"
                    + doc.path("issuer").asText() + "', expected '" + issuer + "'.");
        }
        JsonNode methods = doc.path("token_endpoint_auth_methods_supported");
        boolean post = methods.isArray() && methods.toString().contains("client_secret_post")
                && !methods.toString().contains("client_secret_basic");
        URI token = endpoint(doc, "token_endpoint");
        URL jwks = toUrl(endpoint(doc, "jwks_uri"));
        JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(jwks, this::retrieve).build();
        return new Provider(URI.create(doc.path("authorization_endpoint").asText()), token, keys, post);
    }

    /** An endpoint the server will call: absolute http(s), and on a host it may reach. */
    private URI endpoint(JsonNode doc, String field) {
        String text = doc.path(field).asText("");
        try {
            URI uri = new URI(text);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(text, "not an absolute http(s) URL");
            }
            if (!reachable.test(uri)) {
                throw new OidcException("The identity provider's " + field + " host '" + uri.getHost()
                        + "' is not an allowed outbound host.");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new OidcException("The identity provider's discovery document has no valid " + field + ".");
        }
    }

    /** Nimbus's JWKS reads, through our client: no redirects, a timeout, a size cap. */
    private Resource retrieve(URL url) throws IOException {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(url.toURI()).timeout(TIMEOUT)
                    .header("accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) throw new IOException("JWKS " + url + " answered " + response.statusCode());
            if (response.body().length > MAX_DOCUMENT) throw new IOException("JWKS " + url + " is too large");
            return new Resource(new String(response.body(), StandardCharsets.UTF_8),
                    response.headers().firstValue("content-type").orElse(null));
        } catch (URISyntaxException e) {
            throw new IOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private JsonNode getJson(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.body().length > MAX_DOCUMENT) throw new OidcException("The identity provider's answer is too large.");
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

    /** The PKCE S256 challenge of {@code verifier} (RFC 7636 section 4.2). */
    public static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A string claim, or the first string of a list claim; empty when blank or absent. */
    public static Optional<String> string(JWTClaimsSet claims, String name) {
        Object v = claims.getClaim(name);
        if (v instanceof String s && !s.isBlank()) return Optional.of(s);
        if (v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof String s && !s.isBlank()) return Optional.of(s);
        return Optional.empty();
    }

    /** The strings of a list claim (groups, roles), or a single string claim as one. */
    public static Set<String> strings(JWTClaimsSet claims, String name) {
        Object v = claims.getClaim(name);
        Set<String> out = new LinkedHashSet<>();
        if (v instanceof String s) out.add(s);
        if (v instanceof List<?> l) l.forEach(x -> out.add(String.valueOf(x)));
        return java.util.Collections.unmodifiableSet(out);
    }

    private static URL toUrl(URI uri) {
        try {
            return uri.toURL();
        } catch (IOException | IllegalArgumentException e) {
            throw new OidcException("The identity provider's jwks_uri is not a URL.");
        }
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
