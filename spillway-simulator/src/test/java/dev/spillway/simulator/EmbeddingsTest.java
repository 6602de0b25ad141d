package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.testkit.FakeClock;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddingsTest {
    static SimHarness sim;

    @BeforeAll
    static void start() {
        SimulatorConfig config = SimulatorConfig.demo()
                .withDeployment(DeploymentConfig.payAsYouGo("ada", "text-embedding-ada-002", 100_000));
        sim = new SimHarness(config, new FakeClock());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static HttpResponse<String> embed(String deployment, String body) {
        return sim.send(sim.post("/openai/deployments/" + deployment + "/embeddings?api-version=2024-10-21", body));
    }

    static double[] vector(JsonNode embedding) {
        double[] v = new double[embedding.size()];
        for (int i = 0; i < v.length; i++) v[i] = embedding.get(i).asDouble();
        return v;
    }

    static double norm(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        return Math.sqrt(s);
    }

    @Test
    void vectorsAreNormalizedAndSizedByTheDeployment() {
        JsonNode r = SimHarness.json(embed("text-embedding-3-small", "{\"input\":\"hello world\"}").body());
        assertThat(r.at("/object").asText()).isEqualTo("list");
        assertThat(r.at("/model").asText()).isEqualTo("text-embedding-3-small");
        double[] v = vector(r.at("/data/0/embedding"));
        assertThat(v).hasSize(1536);
        assertThat(norm(v)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(r.at("/usage/prompt_tokens").asInt()).isEqualTo(2);
    }

    @Test
    void sameTextGetsTheSameVectorInAnyRequest() {
        JsonNode a = SimHarness.json(embed("text-embedding-3-small", "{\"input\":\"alpha\"}").body());
        JsonNode b = SimHarness.json(embed("text-embedding-3-small", "{\"input\":[\"beta\",\"alpha\"]}").body());
        assertThat(b.at("/data/1/embedding")).isEqualTo(a.at("/data/0/embedding"));
        assertThat(b.at("/data/0/embedding")).isNotEqualTo(a.at("/data/0/embedding"));
        assertThat(b.at("/data/1/index").asInt()).isEqualTo(1);
    }

    @Test
    void textsWithTheSameWordsAgreeAndOtherWordsDrawApart() {
        double[] q = vectorOf("What is a PTU?");
        assertThat(dot(vectorOf("what is a ptu"), q)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(dot(vectorOf("A PTU: what is it?"), q)).isBetween(0.8, 0.95);
        assertThat(dot(vectorOf("What is a pay-as-you-go deployment?"), q)).isLessThan(0.8);
        assertThat(dot(vectorOf("Northwind health plans cover glasses"), q)).isLessThan(0.3);
    }

    private static double[] vectorOf(String text) {
        String body = "{\"input\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(text) + "}";
        return vector(SimHarness.json(embed("text-embedding-3-small", body).body()).at("/data/0/embedding"));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    @Test
    void dimensionsShortenTheVector() {
        JsonNode r = SimHarness.json(embed("text-embedding-3-small", "{\"input\":\"alpha\",\"dimensions\":256}").body());
        double[] v = vector(r.at("/data/0/embedding"));
        assertThat(v).hasSize(256);
        assertThat(norm(v)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void dimensionsOnAdaGets400() {
        HttpResponse<String> r = embed("ada", "{\"input\":\"alpha\",\"dimensions\":256}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(SimHarness.json(r.body()).at("/error/param").asText()).isEqualTo("dimensions");
    }

    @Test
    void base64IsLittleEndianFloat32OfTheSameVector() {
        JsonNode floats = SimHarness.json(embed("text-embedding-3-small", "{\"input\":\"alpha\"}").body());
        JsonNode b64 = SimHarness.json(embed("text-embedding-3-small",
                "{\"input\":\"alpha\",\"encoding_format\":\"base64\"}").body());
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(b64.at("/data/0/embedding").asText()))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bytes.remaining()).isEqualTo(1536 * 4);
        double[] v = vector(floats.at("/data/0/embedding"));
        for (double x : v) assertThat(bytes.getFloat()).isEqualTo((float) x);
    }

    @Test
    void v1RouteAndBadInputAreHandled() {
        HttpResponse<String> ok = sim.send(sim.post("/v1/embeddings", "{\"model\":\"ada\",\"input\":\"x\"}"));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(embed("ada", "{\"input\":42}").statusCode()).isEqualTo(400);
        assertThat(embed("ada", "{\"input\":\"x\",\"encoding_format\":\"hex\"}").statusCode()).isEqualTo(400);
    }
}
