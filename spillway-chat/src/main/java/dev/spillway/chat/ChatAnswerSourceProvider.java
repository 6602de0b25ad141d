package dev.spillway.chat;

import dev.spillway.chat.flow.ChatModel;
import dev.spillway.chat.flow.ChatTurn;
import dev.spillway.chat.flow.FlowDefinition;
import dev.spillway.chat.flow.FlowListener;
import dev.spillway.chat.flow.GatewayChatModel;
import dev.spillway.chat.flow.Orchestrator;
import dev.spillway.chat.flow.SearchSettings;
import dev.spillway.chat.flow.TurnResult;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.retrieval.RetrievalConfig;
import dev.spillway.retrieval.SearchMode;
import dev.spillway.retrieval.embed.Embedders;
import dev.spillway.retrieval.eval.AnswerSource;
import dev.spillway.retrieval.eval.AnswerSourceProvider;
import dev.spillway.retrieval.index.LuceneRetriever;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * {@code spillway eval answers --answerer chat}: each question is one new conversation run through
 * the chat app's real flow (the {@code chat:} section's flow file, or the built-in one) with the
 * model reached through the gateway at {@code chat.gateway-url}, over the index of
 * {@code chat.retrieval}. Only public documents are searched (no signed-in user, no groups).
 */
public final class ChatAnswerSourceProvider implements AnswerSourceProvider {
    @Override
    public String name() {
        return "chat";
    }

    @Override
    public AnswerSource open(ConfigNode root, RetrievalConfig retrieval, SearchMode mode, int topK) {
        ConfigNode node = root.child("chat");
        ChatConfig config = ChatConfig.from(node);
        root.throwIfInvalid();
        FlowDefinition flow = config.flowFile().map(FlowDefinition::load).orElseGet(FlowDefinition::builtIn);
        ChatModel model = new GatewayChatModel(config.gatewayUrl(), config.deployment(), config.apiVersion(),
                config.gatewayKey(), config.modelTimeout(), config.gatewayCaFile());
        LuceneRetriever retriever = LuceneRetriever.open(retrieval.indexDir(), Embedders.create(retrieval),
                retrieval.search(), Clock.systemUTC());
        Orchestrator orchestrator = new Orchestrator(flow, model, retriever, config.historyTokenBudget(),
                Clock.systemUTC(), FlowListener.NONE);
        SearchSettings settings = new SearchSettings(mode, topK, config.defaults().temperature());
        return new ChatAnswerSource(orchestrator, retriever, settings, config);
    }

    /** One orchestrator over one open index; used by one thread at a time. */
    private record ChatAnswerSource(Orchestrator orchestrator, LuceneRetriever retriever, SearchSettings settings,
                                    ChatConfig config) implements AnswerSource {
        @Override
        public Answer answer(String question) {
            try {
                TurnResult turn = orchestrator.run(new ChatTurn(question, List.of(), settings, Set.of()), delta -> { });
                return new Answer(turn.answer(), turn.sources());
            } catch (ChatModel.ModelException e) {
                throw new IllegalStateException("the model call through the gateway at " + config.gatewayUrl()
                        + " (deployment " + config.deployment() + ") failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            retriever.close();
        }
    }
}
