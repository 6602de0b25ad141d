package dev.spillway.core.testkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.spillway.core.signin.OidcClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A minimal OpenID provider on 127.0.0.1:0 for sign-in tests: discovery, an authorize endpoint
 * that approves at once (302 to the redirect URI with code and state), a token endpoint that checks
 * the client secret (Basic), the code and the PKCE verifier, and a JWKS. Tests steer the next ID
 * token through the public fields (audience, signing key, nonce, lifetime, claims).
 */
public final class FakeOidcProvider implements AutoCloseable {
    public static final String CLIENT_ID = "chat-app";
    public static final String CLIENT_SECRET = "provider-secret";
    /** Generated once per run; EC keys (ES256) are quick to make. */
    private static final ECKey KEY = generate();
    private static final ECKey OTHER_KEY = generate();

    private final HttpServer server;
    private final Clock clock;
    private final Map<String, Map<String, String>> codes = new ConcurrentHashMap<>();
    public volatile String audience = CLIENT_ID;
    public volatile ECKey signingKey = KEY;
    /** When set, the ID token carries this nonce instead of the one the login sent. */
    public volatile Optional<String> nonce = Optional.empty();
    /** How long ID tokens live from the clock's now; negative for one already expired. */
    public volatile Duration lifetime = Duration.ofMinutes(5);
    /** The ID token's claims beside iss, aud, sub, iat, exp and nonce. */
    public volatile Map<String, Object> claims = Map.of("preferred_username", "olivia", "groups", List.of("hr", "staff"));
    public volatile Map<String, String> lastAuthorize = Map.of();
    /** The host discovery names for the token endpoint and the JWKS (the same server either way). */
    public volatile String endpointHost = "127.0.0.1";

    public FakeOidcProvider(Clock clock) throws IOException {
        this.clock = clock;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/.well-known/openid-configuration", ex -> send(ex, 200, discovery()));
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.createContext("/jwks", ex -> send(ex, 200, new JWKSet(KEY.toPublicJWK()).toString()));
        server.start();
    }

    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A key the provider does not publish. */
    public ECKey otherKey() {
        return OTHER_KEY;
    }

    private static ECKey generate() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private String discovery() {
        String served = "http://" + endpointHost + ":" + server.getAddress().getPort();
        return """
                {"issuer":"%1$s","authorization_endpoint":"%1$s/authorize","token_endpoint":"%2$s/token",
                 "jwks_uri":"%2$s/jwks","token_endpoint_auth_methods_supported":["client_secret_basic"]}
                """.formatted(issuer(), served);
    }

    private void authorize(HttpExchange ex) throws IOException {
        Map<String, String> q = form(ex.getRequestURI().getRawQuery());
        lastAuthorize = q;
        String code = "code-" + codes.size();
        codes.put(code, q);
        ex.getResponseHeaders().set("location", q.get("redirect_uri") + "?code=" + code + "&state=" + q.get("state"));
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    private void token(HttpExchange ex) throws IOException {
        Map<String, String> f = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String basic = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        Map<String, String> auth = codes.remove(f.getOrDefault("code", ""));
        if (!basic.equals(ex.getRequestHeaders().getFirst("authorization"))) {
            send(ex, 401, "{\"error\":\"invalid_client\"}");
        } else if (auth == null || !OidcClient.challenge(f.getOrDefault("code_verifier", "")).equals(auth.get("code_challenge"))) {
            send(ex, 400, "{\"error\":\"invalid_grant\"}");
        } else {
            send(ex, 200, "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"id_token\":\""
                    + idToken(nonce.orElse(auth.get("nonce"))) + "\"}");
        }
    }

    private String idToken(String nonce) {
        Date now = Date.from(clock.instant());
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer(issuer()).audience(audience).subject("u-42")
                .issueTime(now).expirationTime(Date.from(clock.instant().plus(lifetime))).claim("nonce", nonce);
        claims.forEach(b::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").build(), b.build());
        try {
            jwt.sign(new ECDSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static Map<String, String> form(String s) {
        Map<String, String> out = new HashMap<>();
        if (s == null) return out;
        for (String pair : s.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("content-type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
