package dev.spillway.chat;

import dev.spillway.chat.flow.ChatModel;
import dev.spillway.chat.flow.TokenUsage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A scripted model: the rewrite call (recognised by its "Search query:" prompt) gets {@code query}
 * or fails when {@code failRewrite}; the answer call streams {@code answer} in 7-character deltas.
 */
public final class FakeChatModel implements ChatModel {
    public final List<Request> requests = new CopyOnWriteArrayList<>();
    public volatile String query = "vacation days per year";
    public volatile boolean failRewrite;
    public volatile Function<Request, String> answer = r -> "You get 25 days of vacation [handbook.pdf#page=3].";

    @Override
    public Reply complete(Request request, Consumer<String> onDelta) {
        requests.add(request);
        if (isRewrite(request)) {
            if (failRewrite) throw new ModelException(ModelException.Kind.REJECTED, 429, "the gateway answered 429: rate limited", null);
            return new Reply(query, new TokenUsage(40, 5, false));
        }
        String text = answer.apply(request);
        for (int i = 0; i < text.length(); i += 7) onDelta.accept(text.substring(i, Math.min(text.length(), i + 7)));
        return new Reply(text, new TokenUsage(120, 30, false));
    }

    public static boolean isRewrite(Request r) {
        return r.messages().getLast().content().endsWith("Search query:");
    }

    public Request answerRequest() {
        return requests.stream().filter(r -> !isRewrite(r)).reduce((a, b) -> b).orElseThrow();
    }
}
