package dev.spillway.gateway.access.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.spillway.core.config.DataSize;
import dev.spillway.gateway.testkit.FakeClock;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every JWT attack of research/scale-reliability.md 4.4 and 4.7 (#6-#11), against a real local JWKS endpoint. */
class JwtVerifierTest {
    static final String ISS = "https://login.example.test/tenant/v2.0";
    static final String AUD = "api://spillway";
    static Vertx vertx;
    static RSAKey rsa;
    static ECKey otherEc;
    static ECKey ec;

    final FakeClock clock = new FakeClock(Instant.parse("2026-11-21T10:00:00Z"));
    JwksServer jwks;
    JwksServer attacker;
    JwtVerifier verifier;

    @BeforeAll
    static void keys() throws Exception {
        vertx = Vertx.vertx();
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        otherEc = new ECKeyGenerator(Curve.P_256).keyID("ec-2").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
    }

    @org.junit.jupiter.api.AfterEach
    void stopServers() {
        jwks.close();
        attacker.close();
    }

    @BeforeEach
    void server() {
        jwks = new JwksServer();
        attacker = new JwksServer();
        jwks.publish(List.of(rsa, ec));
        verifier = verifier(Optional.empty());
    }

    JwtVerifier verifier(Optional<String> type) {
        JwtIssuerConfig issuer = new JwtIssuerConfig(ISS, Set.of(AUD), jwks.uri(), Set.of("RS256", "ES256"),
                Duration.ofSeconds(60), type, "oid", "azp", Optional.of("groups"), "roles", "jwt");
        JwtConfig config = new JwtConfig(List.of(issuer), Map.of(), DataSize.parse("8KB"), Duration.ofMinutes(10),
                Duration.ofSeconds(30));
        return new JwtVerifier(config, new VertxJwksFetcher(vertx), clock);
    }

    JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer(ISS).audience(AUD).subject("sub-1").claim("oid", "user-42")
                .claim("azp", "chat-app").claim("groups", List.of("search-team")).claim("roles", List.of("AI.User"))
                .expirationTime(Date.from(clock.instant().plusSeconds(600)));
    }

    static String rs256(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    String es256(ECKey key, String kid) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).build(), claims().build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    JwtPrincipal verify(String token) {
        return verifier.verify(token).toCompletableFuture().join();
    }

    void rejected(String token, String reason) {
        assertThatThrownBy(() -> verify(token)).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(JwtRejected.class).cause().hasMessageContaining(reason);
    }

    @Test
    void aValidTokenNamesUserAppTeamAndRoles() throws Exception {
        JwtPrincipal p = verify(rs256(rsa, claims().build()));
        assertThat(p).isEqualTo(new JwtPrincipal(ISS, "user-42", "chat-app", Optional.of("search-team"),
                Set.of("AI.User")));
    }

    @Test
    void anEs256TokenFromTheSameIssuerIsAccepted() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(), claims().build());
        jwt.sign(new ECDSASigner(ec));
        assertThat(verify(jwt.serialize()).user()).isEqualTo("user-42");
    }

    @Test
    void unsignedTokensAreRejectedWhateverTheSpellingOfNone() {
        String payload = b64(claims().build().toString());
        for (String alg : List.of("none", "None", "NONE")) {
            rejected(b64("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + "." + payload + ".", "not a signed JWT");
        }
    }

    @Test
    void anHs256TokenKeyedWithTheRsaPublicKeyIsRejected() throws Exception {
        byte[] publicKey = rsa.toRSAPublicKey().getEncoded();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), claims().build());
        jwt.sign(new MACSigner(publicKey));
        rejected(jwt.serialize(), "HS256 is not allowed");
    }

    @Test
    void wrongIssuerWrongAudienceAndTamperedSignaturesAreRejected() throws Exception {
        rejected(rs256(rsa, claims().issuer("https://evil.example/").build()), "issuer is not trusted");
        rejected(rs256(rsa, claims().issuer(ISS + "/").build()), "issuer is not trusted");
        rejected(rs256(rsa, claims().audience("api://other").build()), "aud");
        String good = rs256(rsa, claims().build());
        String tampered = good.substring(0, good.lastIndexOf('.') + 1) + b64("not the signature");
        rejected(tampered, "rejected");
        rejected(es256(otherEc, "ec-1"), "rejected");
    }

    @Test
    void expiryIsRequiredAndCheckedWithBoundedSkew() throws Exception {
        rejected(rs256(rsa, claims().expirationTime(null).build()), "exp");
        rejected(rs256(rsa, claims().expirationTime(Date.from(clock.instant().minusSeconds(61))).build()), "Expired");
        assertThat(verify(rs256(rsa, claims().expirationTime(Date.from(clock.instant().minusSeconds(30))).build())))
                .isNotNull();
        rejected(rs256(rsa, claims().notBeforeTime(Date.from(clock.instant().plusSeconds(120))).build()), "before");
    }

    @Test
    void aRequiredTokenTypeIsEnforced() throws Exception {
        verifier = verifier(Optional.of("at+jwt"));
        rejected(rs256(rsa, claims().build()), "type");
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1")
                .type(new JOSEObjectType("at+jwt")).build(), claims().build());
        jwt.sign(new RSASSASigner(rsa));
        assertThat(verify(jwt.serialize()).user()).isEqualTo("user-42");
    }

    @Test
    void hostileKeyIdsAreOnlyLookedUpInTheJwksAndRefreshesAreRateLimited() throws Exception {
        verify(rs256(rsa, claims().build()));
        clock.advance(Duration.ofSeconds(31));
        int before = jwks.fetches.get();
        ECKey stranger = new ECKeyGenerator(Curve.P_256).generate();
        for (String kid : List.of("../../dev/null", "' OR 1=1--", "unknown-1")) {
            rejected(es256(stranger, kid), "rejected");
        }
        for (int i = 0; i < 100; i++) rejected(es256(stranger, "flood-" + i), "rejected");
        assertThat(jwks.fetches.get() - before).isEqualTo(1);
    }

    @Test
    void aRotatedInKeyIsPickedUpOnItsFirstUseAfterTheRefreshInterval() throws Exception {
        verify(rs256(rsa, claims().build()));
        jwks.publish(List.of(rsa, ec, otherEc));
        clock.advance(Duration.ofSeconds(31));
        assertThat(verify(es256(otherEc, "ec-2")).user()).isEqualTo("user-42");
    }

    @Test
    void keysNamedInTokenHeadersAreNeverFetchedOrTrusted() throws Exception {
        ECKey evil = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        attacker.publish(List.of(evil));
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1")
                .jwkURL(attacker.uri()).x509CertURL(attacker.uri()).jwk(evil.toPublicJWK()).build(), claims().build());
        jwt.sign(new ECDSASigner(evil));
        rejected(jwt.serialize(), "rejected");
        assertThat(attacker.fetches.get()).isZero();
    }

    @Test
    void anEcdsaSignatureOfZerosIsRejected() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(), claims().build());
        jwt.sign(new ECDSASigner(ec));
        String token = jwt.serialize();
        String zeros = Base64URL.encode(new byte[64]).toString();
        rejected(token.substring(0, token.lastIndexOf('.') + 1) + zeros, "rejected");
    }

    @Test
    void oversizedAndMalformedTokensAreRejectedBeforeAnyKeyLookup() throws Exception {
        rejected(rs256(rsa, claims().claim("pad", "x".repeat(9000)).build()), "larger than");
        rejected("a.b.c", "not a signed JWT");
        rejected("\u0000\u0001", "not a signed JWT");
        rejected("", "not a signed JWT");
        assertThat(jwks.fetches.get()).isZero();
    }

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

}
