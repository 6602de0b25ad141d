package dev.spillway.gateway.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.access.jwt.JwtConfig;
import dev.spillway.gateway.access.keys.KeyLimits;
import dev.spillway.gateway.pipeline.Caller;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.testkit.Exchanges;
import dev.spillway.gateway.testkit.PolicyHarness;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The authorize policy alone: allowed deployments of a key. */
class AuthorizePolicyTest {
    final PolicyHarness harness = new PolicyHarness(new AuthorizePolicy(JwtConfig.NONE));

    private static Exchange calledBy(Set<String> allowed) {
        Exchange e = Exchanges.chat();
        e.caller(new Caller("k", "chat", "", "", "sk-spw-abc",
                new Grants(Optional.of("id"), KeyLimits.NONE, allowed, Set.of(), false)));
        return e;
    }

    @Test
    void aKeyLimitedToOtherDeploymentsGetsA403NamingTheDeployment() {
        assertThat(harness.run(calledBy(Set.of("gpt-4o-mini"))).cause())
                .isInstanceOf(SpillwayException.Forbidden.class).hasMessageContaining("'gpt-4o'");
        assertThat(harness.proceeded()).isFalse();
    }

    @Test
    void aKeyAllowedTheDeploymentPasses() {
        assertThat(harness.run(calledBy(Set.of("gpt-4o"))).succeeded()).isTrue();
        assertThat(harness.proceeded()).isTrue();
    }

    @Test
    void aKeyWithNoDeploymentListMayCallAny() {
        assertThat(harness.run(calledBy(Set.of())).succeeded()).isTrue();
    }
}
