package dev.spillway.bench;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoopbackGuardTest {
    private static LoadSpec target(String url, boolean allowRemote) {
        return LoadSpec.builder(URI.create(url), Api.AZURE, "d").allowRemote(allowRemote).build();
    }

    @Test
    void anyAddressIn127Slash8IsAllowed() {
        assertThatCode(() -> LoopbackGuard.check(target("http://127.0.0.1:8080", false))).doesNotThrowAnyException();
        assertThatCode(() -> LoopbackGuard.check(target("http://127.3.2.1:8080", false))).doesNotThrowAnyException();
    }

    @Test
    void ipv6LoopbackIsAllowed() {
        assertThatCode(() -> LoopbackGuard.check(target("http://[::1]:8080", false))).doesNotThrowAnyException();
    }

    @Test
    void privateAddressIsRefusedWithTheWayOut() {
        assertThatThrownBy(() -> LoopbackGuard.check(target("http://192.168.1.20:8080", false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("192.168.1.20").hasMessageContaining("--allow-remote");
    }

    @Test
    void wildcardAddressIsRefused() {
        assertThatThrownBy(() -> LoopbackGuard.check(target("http://0.0.0.0:8080", false)))
                .hasMessageContaining("not a loopback address");
    }

    @Test
    void allowRemoteLetsAnyTargetThrough() {
        assertThatCode(() -> LoopbackGuard.check(target("http://192.168.1.20:8080", true))).doesNotThrowAnyException();
    }
}
