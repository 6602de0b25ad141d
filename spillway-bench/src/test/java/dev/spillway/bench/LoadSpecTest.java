package dev.spillway.bench;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadSpecTest {
    private static LoadSpec.Builder spec() {
        return LoadSpec.builder(URI.create("http://127.0.0.1:8080"), Api.AZURE, "gpt-4o");
    }

    @Test
    void defaultsAreBoundedAndBalanced() {
        LoadSpec s = spec().build();

        assertThat(s.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.shape()).isEqualTo(new RequestShape(500, 500));
        assertThat(s.retry()).isEqualTo(RetryMode.NONE);
        assertThat(s.allowRemote()).isFalse();
    }

    @Test
    void negativeRateIsRejectedWithItsFieldName() {
        assertThatThrownBy(() -> spec().rate(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("rate: must be >= 0");
    }

    @Test
    void zeroDurationIsRejected() {
        assertThatThrownBy(() -> spec().duration(Duration.ZERO).build()).hasMessageStartingWith("duration: must be > 0");
    }

    @Test
    void negativeWarmupIsRejected() {
        assertThatThrownBy(() -> spec().warmup(Duration.ofSeconds(-1)).build()).hasMessageStartingWith("warmup: must be >= 0");
    }

    @Test
    void zeroRequestBoundIsRejected() {
        assertThatThrownBy(() -> spec().maxRequests(OptionalLong.of(0)).build())
                .hasMessageStartingWith("requests: must be > 0");
    }

    @Test
    void zeroClientsAreRejected() {
        assertThatThrownBy(() -> spec().clients(0).build()).hasMessageStartingWith("clients: must be between 1");
    }

    @Test
    void nonHttpUrlIsRejected() {
        assertThatThrownBy(() -> LoadSpec.builder(URI.create("ftp://127.0.0.1/"), Api.AZURE, "d").build())
                .hasMessageStartingWith("url: must be http://host:port");
    }

    @Test
    void blankModelIsRejectedByItsOpenAiName() {
        assertThatThrownBy(() -> LoadSpec.builder(URI.create("http://127.0.0.1:1"), Api.OPENAI, " ").build())
                .hasMessage("model: must not be blank");
    }

    @Test
    void shapesMatchTheAzureBenchmarkTool() {
        assertThat(Shape.CONTEXT.resolve(OptionalInt.empty(), OptionalInt.empty())).isEqualTo(new RequestShape(2000, 200));
        assertThat(Shape.GENERATION.resolve(OptionalInt.empty(), OptionalInt.empty())).isEqualTo(new RequestShape(500, 1000));
        assertThat(Shape.BALANCED.resolve(OptionalInt.of(100), OptionalInt.empty())).isEqualTo(new RequestShape(100, 500));
    }

    @Test
    void customShapeNeedsBothTokenCounts() {
        assertThatThrownBy(() -> Shape.CUSTOM.resolve(OptionalInt.of(10), OptionalInt.empty()))
                .hasMessageContaining("--context-tokens and --max-tokens");
    }

    @Test
    void moreThreadsThanClientsUseOneShardPerClient() {
        assertThat(spec().clients(2).threads(8).build().shards()).isEqualTo(2);
    }
}
