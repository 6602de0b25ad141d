package dev.spillway.chat.flow;

import dev.spillway.retrieval.Hit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The working state of one turn as it moves through the steps: each step reads what earlier steps
 * left and records its own inputs and outputs. One per turn, used by one thread.
 */
final class TurnState {
    final ChatTurn turn;
    final Consumer<String> onDelta;
    String query;
    List<Hit> hits = List.of();
    String answer = "";
    List<String> citations = List.of();
    List<String> followUps = List.of();
    TokenUsage usage = TokenUsage.NONE;
    final Map<String, Object> inputs = new LinkedHashMap<>();
    final Map<String, Object> outputs = new LinkedHashMap<>();

    TurnState(ChatTurn turn, Consumer<String> onDelta) {
        this.turn = turn;
        this.onDelta = onDelta;
        this.query = turn.question();
    }

    void input(String key, Object value) {
        inputs.put(key, value);
    }

    void output(String key, Object value) {
        outputs.put(key, value);
    }

    void addUsage(TokenUsage u) {
        usage = usage.plus(u);
        Map<String, Object> tokens = new LinkedHashMap<>();
        tokens.put("prompt", u.promptTokens());
        tokens.put("completion", u.completionTokens());
        tokens.put("total", u.totalTokens());
        tokens.put("estimated", u.estimated());
        output("tokens", tokens);
    }
}
