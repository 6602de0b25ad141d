package dev.spillway.simulator.chat;

import dev.spillway.simulator.AnswerMode;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.tokens.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * Decides the answer to a chat or completions request: a tool call when tools are offered (and the
 * conversation does not end with a tool result); unless the deployment only generates, a search
 * query for a query-rewrite request and an extractive answer (with the follow-up questions the
 * prompt asks for) when the prompt carries sources; generated text otherwise; always bounded by
 * max tokens.
 * Thread-safe; one per deployment.
 */
final class AnswerPlanner {
    private static final Pattern WORD_BOUNDARY = Pattern.compile("(?=\\s)");

    private final DeploymentConfig deployment;
    private final TokenCounter counter;
    private final TextGenerator generator;

    AnswerPlanner(DeploymentConfig deployment, TokenCounter counter) {
        this.deployment = deployment;
        this.counter = counter;
        this.generator = new TextGenerator(counter);
    }

    Answer plan(ChatRequest request, long seed, Optional<Integer> requestedTokens) {
        int max = request.maxTokens().orElse(Integer.MAX_VALUE);
        if (request.toolChoice().allowed() && !request.endsWithToolResult()) return toolCall(request, seed);
        Optional<String> extracted = extractive(request);
        if (extracted.isPresent()) return fixedText(extracted.get(), max);
        int natural = requestedTokens.orElse(deployment.completionTokens());
        int tokens = Math.min(natural, max);
        boolean complete = natural <= max;
        return new Answer.Text(() -> generator.pieces(seed, tokens, complete), tokens, complete ? "stop" : "length");
    }

    private Answer toolCall(ChatRequest request, long seed) {
        ToolCallPlanner.Call call = ToolCallPlanner.plan(request, seed);
        String id = "call_" + Ids.alphanumeric(new SplittableRandom(seed ^ 0x5DEECE66DL), 24);
        return new Answer.ToolCall(id, call.name(), call.arguments(), counter.count(call.name() + call.arguments()) + 7);
    }

    private Optional<String> extractive(ChatRequest request) {
        if (deployment.answerMode() == AnswerMode.GENERATE || request.legacyCompletion()) return Optional.empty();
        List<Source> sources = new ArrayList<>();
        for (ChatRequest.Message m : request.messages()) {
            if (m.role().equals("system") || m.role().equals("developer") || m.role().equals("user")) {
                sources.addAll(SourceParser.parse(m.text()));
            }
        }
        if (sources.isEmpty() && QueryRewriter.isRewriteRequest(request)) {
            return Optional.of(QueryRewriter.rewrite(request));
        }
        if (sources.isEmpty() && deployment.answerMode() == AnswerMode.AUTO) return Optional.empty();
        String withoutSources = SourceParser.withoutSources(request.lastUserText());
        String question = withoutSources.isEmpty() ? request.lastUserText() : withoutSources;
        String answer = ExtractiveAnswerer.answer(sources, question);
        int followUps = FollowUpSuggester.requested(request);
        if (followUps == 0 || answer.equals(ExtractiveAnswerer.NO_ANSWER)) return Optional.of(answer);
        List<String> suggested = FollowUpSuggester.suggest(sources, question, followUps);
        return Optional.of(answer + String.join("", suggested.stream().map(q -> "\n<<" + q + ">>").toList()));
    }

    private Answer fixedText(String text, int max) {
        int tokens = counter.count(text);
        String finish = "stop";
        if (tokens > max) {
            text = counter.truncate(text, max);
            tokens = max;
            finish = "length";
        }
        List<String> pieces = List.of(WORD_BOUNDARY.split(text));
        return new Answer.Text(pieces::iterator, tokens, finish);
    }
}
