package dev.spillway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigValuesTest {
    @Test
    void sizesAcceptBinaryAndDecimalUnits() {
        assertThat(DataSize.parse("4MiB").bytes()).isEqualTo(4L << 20);
        assertThat(DataSize.parse("512 KiB").bytes()).isEqualTo(512L << 10);
        assertThat(DataSize.parse("1GB").bytes()).isEqualTo(1_000_000_000L);
        assertThat(DataSize.parse("2048").bytes()).isEqualTo(2048);
        assertThatThrownBy(() -> DataSize.parse("4 bananas")).hasMessageContaining("4MiB");
        assertThat(DataSize.ofMebibytes(4)).hasToString("4MiB");
    }

    @Test
    void durationsAcceptShortAndIsoForms() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("PT30S")).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> Durations.parse("soon")).hasMessageContaining("250ms");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
    }

    @Test
    void secretsResolveFromEnvironmentAndFilesAndNeverPrintTheirValue(@TempDir Path dir) throws Exception {
        Secret env = Secret.parse("${env:TOKEN}", Map.of("TOKEN", "s3cret"));
        assertThat(env.value()).isEqualTo("s3cret");
        assertThat(env.toString()).doesNotContain("s3cret");
        Path file = dir.resolve("key");
        Files.writeString(file, "from-file\n");
        assertThat(Secret.parse("${file:" + file + "}", Map.of()).value()).isEqualTo("from-file");
        assertThat(Secret.literal("plain").toString()).doesNotContain("plain");
    }

    @Test
    void missingSecretNamesItsSource() {
        Secret missing = Secret.parse("${env:NOT_SET}", Map.of());
        assertThat(missing.isResolvable()).isFalse();
        assertThatThrownBy(missing::value).hasMessage("environment variable NOT_SET is not set");
    }

    @Test
    void aKeyVaultReferenceHoldsWhatItsOwnerLastFetched() {
        ConfigNode root = ConfigLoader.parse("gateway:\n  backend:\n    secret: \"${keyvault:https://kv-1.vault.azure.net"
                + "/secrets/backend-key}\"\nchat:\n  key: \"${keyvault:https://kv-1.vault.azure.net/secrets/chat-key}\"\n",
                Map.of());
        Secret secret = root.child("gateway").child("backend").secret("secret");
        root.child("chat").secret("key");
        assertThat(root.child("gateway").vaultSecrets()).containsOnlyKeys("gateway.backend.secret");
        assertThat(root.vaultSecrets()).containsOnlyKeys("gateway.backend.secret", "chat.key");
        assertThat(secret.vaultSecret()).contains(java.net.URI.create("https://kv-1.vault.azure.net/secrets/backend-key"));
        assertThatThrownBy(secret::value).hasMessageContaining("has not been fetched");
        secret.vaultValue("v1");
        secret.vaultValue("v2");
        assertThat(secret.value()).isEqualTo("v2");
        assertThat(secret.toString()).doesNotContain("v2");
    }

    @Test
    void aKeyVaultReferenceMustNameAnHttpsSecretUrl() {
        for (String bad : List.of("${keyvault:http://kv.vault.azure.net/secrets/k}", "${keyvault:https://kv.vault.azure.net/keys/k}",
                "${keyvault:https://kv.vault.azure.net/secrets/a_b}", "${keyvault:https://kv.vault.azure.net/secrets/k?x=1}")) {
            assertThatThrownBy(() -> Secret.parse(bad, Map.of())).as(bad).hasMessageContaining("a Key Vault reference must be");
        }
        assertThat(Secret.parse("${keyvault:https://kv.vault.azure.net/secrets/k/0123abcd}", Map.of()).vaultSecret()).isPresent();
        assertThatThrownBy(() -> Secret.literal("x").vaultValue("y")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void unknownKeysGetADidYouMeanHint() {
        ConfigNode root = ConfigLoader.parse("server:\n  timout: 5s\n  colour: red\n", Map.of());
        root.child("server").allowOnly("timeout", "port");
        assertThat(root.problems()).containsExactly(
                "server.timout: unknown key (did you mean 'timeout'?)", "server.colour: unknown key");
    }

    @Test
    void choicesAreKebabCaseEnums() {
        enum Kind { PAY_AS_YOU_GO, PTU }
        ConfigNode root = ConfigLoader.parse("a: pay-as-you-go\nb: spot\n", Map.of());
        assertThat(root.choice("a", Kind.class, Kind.PTU)).isEqualTo(Kind.PAY_AS_YOU_GO);
        assertThat(root.choice("b", Kind.class, Kind.PTU)).isEqualTo(Kind.PTU);
        assertThat(root.problems()).containsExactly("b: must be one of [pay-as-you-go, ptu], was 'spot'");
    }
}
