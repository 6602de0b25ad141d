package dev.spillway.chat.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.chat.FakeSseServer;
import dev.spillway.core.config.Secret;
import dev.spillway.core.wire.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GatewayChatModelTest {
    private FakeSseServer gateway;
    private GatewayChatModel model;
    private final ChatModel.Request request = new ChatModel.Request(
            List.of(ChatMessage.system("sys"), ChatMessage.user("How many days?")), 0.2, 100);

    @BeforeEach
    void start() throws Exception {
        gateway = new FakeSseServer();
        model = new GatewayChatModel(gateway.url(), "chat-4o", "2024-10-21", Secret.literal("app-key-1"),
                Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void streamsDeltasInOrderAndReportsUsage() throws Exception {
        gateway.frames = FakeSseServer.answer("25 days ", "[handbook.pdf#page=3]", ".");
        List<String> deltas = new ArrayList<>();
        ChatModel.Reply reply = model.complete(request, deltas::add);
        assertThat(deltas).containsExactly("25 days ", "[handbook.pdf#page=3]", ".");
        assertThat(reply.text()).isEqualTo("25 days [handbook.pdf#page=3].");
        assertThat(reply.usage()).isEqualTo(new TokenUsage(50, 12, false));

        FakeSseServer.Received got = gateway.received.getFirst();
        assertThat(got.pathAndQuery()).isEqualTo("/openai/deployments/chat-4o/chat/completions?api-version=2024-10-21");
        assertThat(got.apiKey()).isEqualTo("app-key-1");
        JsonNode body = Json.MAPPER.readTree(got.body());
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(body.path("messages").get(1).path("content").asText()).isEqualTo("How many days?");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(100);
    }

    @Test
    void theUsersAccessGroupsGoToTheGatewaySoItsCacheKeepsThemApart() {
        gateway.frames = FakeSseServer.answer("ok");
        model.complete(new ChatModel.Request(request.messages(), 0, 100, java.util.Set.of("hr", "r&d, europe")), d -> { });
        model.complete(request, d -> { });
        assertThat(gateway.received.get(0).accessGroups()).isEqualTo("hr,r%26d%2C+europe");
        assertThat(gateway.received.get(1).accessGroups()).isEqualTo("null");
    }

    @Test
    void streamWithoutDoneIsAnErrorNotAShortAnswer() {
        gateway.frames = List.of("{\"choices\":[{\"delta\":{\"content\":\"25 da\"}}]}");
        assertThatThrownBy(() -> model.complete(request, d -> { }))
                .isInstanceOf(ChatModel.ModelException.class).hasMessageContaining("ended before [DONE]");
    }

    @Test
    void gatewayErrorStatusCarriesItsMessage() {
        gateway.status = 429;
        gateway.errorBody = "{\"error\":{\"code\":\"429\",\"message\":\"Rate limit reached, retry in 3s\"}}";
        assertThatThrownBy(() -> model.complete(request, d -> { }))
                .isInstanceOf(ChatModel.ModelException.class)
                .hasMessage("the gateway answered 429: Rate limit reached, retry in 3s");
    }

    @Test
    void missingUsageIsEstimated() {
        gateway.frames = List.of("{\"choices\":[{\"delta\":{\"content\":\"12345678\"}}]}", "[DONE]");
        assertThat(model.complete(request, d -> { }).usage()).isEqualTo(new TokenUsage(5, 2, true));
    }

    @Test
    void unreachableGatewayIsAModelException() {
        gateway.close();
        assertThatThrownBy(() -> model.complete(request, d -> { }))
                .isInstanceOf(ChatModel.ModelException.class).hasMessageContaining("could not be reached");
    }
}
