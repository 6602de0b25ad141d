package dev.spillway.gateway.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientIpsTest {
    static ClientIps ips(List<String> allow, List<String> deny) {
        return new ClientIps(allow.stream().map(Cidr::parse).toList(), deny.stream().map(Cidr::parse).toList());
    }

    @Test
    void blocksOfBothFamiliesMatchByPrefix() {
        assertThat(Cidr.parse("10.0.0.0/8").contains(Cidr.literal("10.200.3.4").orElseThrow())).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains(Cidr.literal("11.0.0.1").orElseThrow())).isFalse();
        assertThat(Cidr.parse("192.168.4.0/22").contains(Cidr.literal("192.168.7.255").orElseThrow())).isTrue();
        assertThat(Cidr.parse("192.168.4.0/22").contains(Cidr.literal("192.168.8.0").orElseThrow())).isFalse();
        assertThat(Cidr.parse("2001:db8::/32").contains(Cidr.literal("2001:db8:ffff::1").orElseThrow())).isTrue();
        assertThat(Cidr.parse("2001:db8::/32").contains(Cidr.literal("2001:db9::1").orElseThrow())).isFalse();
        assertThat(Cidr.parse("10.0.0.0/8").contains(Cidr.literal("::ffff:10.1.2.3").orElseThrow())).isTrue();
        assertThat(Cidr.parse("203.0.113.7").toString()).isEqualTo("203.0.113.7/32");
    }

    @Test
    void onlyLiteralsParseSoNoNameIsEverLookedUp() {
        assertThat(Cidr.literal("example.com")).isEmpty();
        assertThat(Cidr.literal("999.1.1.1")).isEmpty();
        assertThat(Cidr.literal("1.2.3")).isEmpty();
        assertThatThrownBy(() -> Cidr.parse("localhost")).hasMessageContaining("not an IP address or CIDR block");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefix must be 0-32");
    }

    @Test
    void denyWinsAndAnEmptyAllowListAdmitsTheRest() {
        ClientIps lists = ips(List.of("10.0.0.0/8", "2001:db8::/32"), List.of("10.6.6.0/24"));
        assertThat(lists.permits("10.1.1.1")).isTrue();
        assertThat(lists.permits("10.6.6.6")).isFalse();
        assertThat(lists.permits("8.8.8.8")).isFalse();
        assertThat(lists.permits("2001:db8::5")).isTrue();
        assertThat(lists.permits("not-an-ip")).isFalse();
        assertThat(ips(List.of(), List.of("8.8.8.0/24")).permits("1.1.1.1")).isTrue();
        assertThat(ClientIps.ANY.permits("")).isTrue();
    }

    @Test
    void forwardedForIsBelievedOnlyFromTrustedProxies() {
        List<Cidr> proxies = List.of(Cidr.parse("10.0.0.0/8"));
        assertThat(ClientAddress.of("203.0.113.9", List.of("1.2.3.4"), List.of())).isEqualTo("203.0.113.9");
        assertThat(ClientAddress.of("203.0.113.9", List.of("1.2.3.4"), proxies)).isEqualTo("203.0.113.9");
        assertThat(ClientAddress.of("10.0.0.2", List.of("6.6.6.6, 1.2.3.4, 10.0.0.1"), proxies)).isEqualTo("1.2.3.4");
        assertThat(ClientAddress.of("10.0.0.2", List.of("6.6.6.6", "1.2.3.4"), proxies)).isEqualTo("1.2.3.4");
        assertThat(ClientAddress.of("10.0.0.2", List.of(), proxies)).isEqualTo("10.0.0.2");
    }
}
