package dev.spillway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.gateway.config.BackendConfig;
import dev.spillway.gateway.config.GatewayConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * deploy/helm/spillway: linted, rendered by Helm itself (helm-java), every manifest read into its
 * Kubernetes type with no field the type does not know, and the ConfigMap's gateway config
 * accepted by the gateway's own reader.
 */
class ChartTest {
    static final Path CHART = Path.of("..", "deploy", "helm", "spillway").toAbsolutePath().normalize();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Map<String, Class<? extends HasMetadata>> TYPES = Map.of(
            "ConfigMap", ConfigMap.class, "Secret", Secret.class, "ServiceAccount", ServiceAccount.class,
            "Service", Service.class, "Deployment", Deployment.class,
            "HorizontalPodAutoscaler", HorizontalPodAutoscaler.class, "PodDisruptionBudget", PodDisruptionBudget.class);

    static List<HasMetadata> render(String valuesFile) throws Exception {
        return render(valuesFile, Map.of());
    }

    static List<HasMetadata> render(String valuesFile, Map<String, String> sets) throws Exception {
        var template = new Helm(CHART).template().withName("spillway").withNamespace("spillway");
        if (valuesFile != null) template = template.withValuesFile(CHART.resolve(valuesFile));
        for (var set : sets.entrySet()) template = template.set(set.getKey(), set.getValue());
        List<HasMetadata> out = new ArrayList<>();
        for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(template.call()).readAll()) {
            if (doc == null || doc.isEmpty()) continue;
            Class<? extends HasMetadata> type = TYPES.get(doc.path("kind").asText());
            assertThat(type).as("a manifest of kind %s", doc.path("kind").asText()).isNotNull();
            HasMetadata resource = YAML.convertValue(doc, type);
            assertThat(KnownFields.unknown(resource)).as("fields %s does not know", type.getSimpleName()).isEmpty();
            out.add(resource);
        }
        return out;
    }

    static <T> T one(List<HasMetadata> all, Class<T> type) {
        List<T> found = all.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as(type.getSimpleName()).hasSize(1);
        return found.getFirst();
    }

    /**
     * The ConfigMap's config as the pod reads it: with the mounted TLS files (here a temporary
     * directory stands for /etc/spillway/tls) and the variables AKS's workload identity webhook sets.
     */
    static GatewayConfig gatewayConfig(List<HasMetadata> all) throws Exception {
        Path tls = Files.createTempDirectory("spillway-chart-tls");
        Files.writeString(tls.resolve("tls.crt"), "");
        Files.writeString(tls.resolve("tls.key"), "");
        String yaml = one(all, ConfigMap.class).getData().get("spillway.yaml").replace("/etc/spillway/tls/", tls + "/");
        ConfigNode root = ConfigLoader.parse(yaml, Map.of("AZURE_TENANT_ID", "tenant-1",
                "AZURE_CLIENT_ID", "00000000-0000-0000-0000-000000000000",
                "AZURE_FEDERATED_TOKEN_FILE", "/var/run/secrets/azure/tokens/azure-identity-token",
                "AZURE_AUTHORITY_HOST", "https://login.microsoftonline.com/"));
        GatewayConfig config = GatewayConfig.from(root.child("gateway"));
        root.throwIfInvalid();
        return config;
    }

    @Test
    void aMisspeltFieldIsCaughtThoughTheModelAcceptsIt() throws Exception {
        Deployment d = YAML.readValue("""
                apiVersion: apps/v1
                kind: Deployment
                spec:
                  template:
                    spec:
                      containers: [ { name: gateway, readinesProbe: { httpGet: { path: /readyz, port: 8081 } } } ]
                """, Deployment.class);
        assertThat(KnownFields.unknown(d)).containsExactly("spec.template.spec.containers[0].readinesProbe");
    }

    /** The pods' restart annotation: it changes only with what the gateway cannot reload (docs/deploy.md). */
    static String restartChecksum(List<HasMetadata> all) {
        return one(all, Deployment.class).getSpec().getTemplate().getMetadata().getAnnotations()
                .get("checksum/restart-config");
    }

    @Test
    void aReloadableChangeKeepsThePodsAndARestartOnlyChangeRollsThem() throws Exception {
        String before = restartChecksum(render(null));
        assertThat(before).hasSize(64);
        assertThat(restartChecksum(render(null, Map.of("gateway.limits.default-max-tokens", "512"))))
                .as("limits are reloaded in place").isEqualTo(before);
        assertThat(restartChecksum(render(null, Map.of("redis.url", "redis://other:6379"))))
                .as("the store needs a restart").isNotEqualTo(before);
    }

    @Test
    void theChartLintsCleanInStrictMode() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void theDefaultsRenderAHardenedDeploymentWithHealthProbes() throws Exception {
        List<HasMetadata> all = render(null);
        Deployment d = one(all, Deployment.class);
        Container gateway = d.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(gateway.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(gateway.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(gateway.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(gateway.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(gateway.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(gateway.getStartupProbe().getHttpGet().getPort().getStrVal()).isEqualTo("health");
        assertThat(gateway.getResources().getLimits()).containsKey("memory");
        assertThat(gateway.getArgs()).containsExactly("gateway", "--config", "/etc/spillway/config/spillway.yaml");
        assertThat(gateway.getVolumeMounts()).filteredOn(m -> m.getName().equals("config"))
                .as("a subPath mount never sees the ConfigMap change").hasSize(1)
                .allSatisfy(m -> assertThat(m.getSubPath()).isNull());
        assertThat(d.getSpec().getReplicas()).as("the HPA owns the replica count").isNull();
        assertThat(one(all, HorizontalPodAutoscaler.class).getSpec().getMinReplicas()).isEqualTo(3);
        assertThat(one(all, PodDisruptionBudget.class).getSpec().getMinAvailable().getIntVal()).isEqualTo(2);
        assertThat(one(all, Service.class).getSpec().getPorts()).extracting("name").containsExactly("api", "health");
        GatewayConfig config = gatewayConfig(all);
        assertThat(config.limits().healthPort()).contains(8081);
        assertThat(config.access().store().redisUrl()).isEqualTo("redis://spillway-redis:6379");
    }

    @Test
    void theFleetExampleRendersIdentityKeyVaultTlsAndTheBrokers() throws Exception {
        List<HasMetadata> all = render("examples/fleet-values.yaml");
        assertThat(all).noneMatch(Secret.class::isInstance); // existingSecret: the chart makes none
        Deployment d = one(all, Deployment.class);
        var pod = d.getSpec().getTemplate();
        assertThat(pod.getMetadata().getLabels()).containsEntry("azure.workload.identity/use", "true");
        assertThat(one(all, ServiceAccount.class).getMetadata().getAnnotations())
                .containsEntry("azure.workload.identity/client-id", "00000000-0000-0000-0000-000000000000");
        assertThat(pod.getSpec().getVolumes()).filteredOn(v -> v.getSecret() != null)
                .extracting(v -> v.getSecret().getSecretName()).containsExactly("spillway-secrets", "spillway-tls");
        assertThat(pod.getSpec().getContainers().getFirst().getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("SPILLWAY_AMQP_URL");
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("spillway-secrets");
        });
        GatewayConfig config = gatewayConfig(all);
        assertThat(config.region()).isEqualTo("swedencentral");
        assertThat(config.tls()).isPresent();
        assertThat(config.identity().orElseThrow().clientId()).contains("00000000-0000-0000-0000-000000000000");
        assertThat(config.backends()).extracting(BackendConfig::auth)
                .containsExactly(BackendConfig.Auth.MANAGED_IDENTITY, BackendConfig.Auth.API_KEY);
        assertThat(config.keyVault().references()).containsOnlyKeys("gateway.backends[1].secret");
        assertThat(config.access().store().replicas()).as("the fallback share uses the most replicas").isEqualTo(12);
    }
}
