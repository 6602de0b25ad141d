package dev.spillway.gateway.access.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * Verifies bearer JWTs from the configured issuers with Nimbus JOSE+JWT (scale-reliability 4.4):
 * the issuer is matched exactly before anything else, algorithms are pinned per issuer (so
 * {@code none} and HS/RS confusion fail), keys come only from that issuer's JWKS (never from
 * {@code jku}/{@code x5u}/{@code jwk} headers), {@code exp}, {@code iss} and {@code aud} are required
 * and exact, and clock skew is bounded. Key fetching is asynchronous. Thread-safe; one per gateway.
 */
public final class JwtVerifier {
    private final Map<String, Issuer> issuers = new HashMap<>();
    private final long maxTokenChars;
    private final Clock clock;

    public JwtVerifier(JwtConfig config, JwksFetcher fetcher, Clock clock) {
        this.clock = clock;
        this.maxTokenChars = config.maxTokenSize().bytes();
        for (JwtIssuerConfig c : config.issuers()) {
            issuers.put(c.issuer(), new Issuer(c, new JwksCache(c.jwksUri(), fetcher, clock, config.jwksRefresh(),
                    config.unknownKidRefreshInterval())));
        }
    }

    /** The caller the token names, or a failed stage with {@link JwtRejected}. */
    public CompletionStage<JwtPrincipal> verify(String token) {
        try {
            if (token.length() > maxTokenChars) throw new JwtRejected("token is larger than " + maxTokenChars + " bytes");
            SignedJWT jwt = parse(token);
            Issuer issuer = issuers.get(jwt.getJWTClaimsSet().getIssuer());
            if (issuer == null) throw new JwtRejected("token issuer is not trusted");
            if (!issuer.algorithms.contains(jwt.getHeader().getAlgorithm())) {
                throw new JwtRejected("token algorithm " + jwt.getHeader().getAlgorithm() + " is not allowed");
            }
            String kid = jwt.getHeader().getKeyID();
            return issuer.keys.current()
                    .thenCompose(keys -> has(keys, kid) ? CompletableFuture.completedFuture(keys)
                            : issuer.keys.refreshForUnknownKid())
                    .thenApply(keys -> issuer.verify(jwt, keys));
        } catch (ParseException e) {
            return CompletableFuture.failedFuture(new JwtRejected("token is not a signed JWT"));
        } catch (JwtRejected e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static SignedJWT parse(String token) throws ParseException {
        return SignedJWT.parse(token);
    }

    private static boolean has(JWKSet keys, String kid) {
        return kid == null ? !keys.isEmpty() : keys.getKeyByKeyId(kid) != null;
    }

    /** One issuer's pinned rules and keys. */
    private final class Issuer {
        final JwtIssuerConfig config;
        final JwksCache keys;
        final Set<JWSAlgorithm> algorithms;

        Issuer(JwtIssuerConfig config, JwksCache keys) {
            this.config = config;
            this.keys = keys;
            this.algorithms = config.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toSet());
        }

        JwtPrincipal verify(SignedJWT jwt, JWKSet keySet) {
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, new ImmutableJWKSet<>(keySet)));
            processor.setJWSTypeVerifier(config.type()
                    .map(t -> new DefaultJOSEObjectTypeVerifier<SecurityContext>(new JOSEObjectType(t)))
                    .orElse(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null)));
            processor.setJWTClaimsSetVerifier(claimsVerifier());
            try {
                return ClaimsMapping.principal(config, processor.process(jwt, null));
            } catch (BadJOSEException | JOSEException e) {
                throw new JwtRejected("token rejected: " + e.getMessage());
            }
        }

        private DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier() {
            JWTClaimsSet exact = new JWTClaimsSet.Builder().issuer(config.issuer()).build();
            DefaultJWTClaimsVerifier<SecurityContext> v = new DefaultJWTClaimsVerifier<>(config.audiences(), exact,
                    Set.of("exp", "iss", "aud"), Set.of()) {
                @Override
                protected Date currentTime() {
                    return Date.from(clock.instant());
                }
            };
            v.setMaxClockSkew((int) config.clockSkew().toSeconds());
            return v;
        }
    }
}
