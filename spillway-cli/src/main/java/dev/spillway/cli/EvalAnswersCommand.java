package dev.spillway.cli;

import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.retrieval.RetrievalConfig;
import dev.spillway.retrieval.SearchMode;
import dev.spillway.retrieval.embed.Embedders;
import dev.spillway.retrieval.eval.AnswerCase;
import dev.spillway.retrieval.eval.AnswerEvaluation;
import dev.spillway.retrieval.eval.AnswerSource;
import dev.spillway.retrieval.eval.AnswerSourceProvider;
import dev.spillway.retrieval.eval.ExtractiveAnswerSource;
import dev.spillway.retrieval.index.LuceneRetriever;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spillway eval answers FILE}: citation accuracy and groundedness of answers to known questions. */
@Command(name = "answers", mixinStandardHelpOptions = true,
        description = "Answer each question of a JSONL file ({question, truth}) and report citation accuracy and groundedness.")
final class EvalAnswersCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "question/answer JSONL; truth cites [file.pdf#page=N]")
    Path file;
    @Mixin
    RetrievalOptions options;
    @Option(names = "--answerer", defaultValue = "extractive",
            description = "'extractive' (search + best hit's first sentences, no model) or 'chat' (the chat app's flow, "
                    + "its model through the gateway of the config's chat: section)")
    String answerer;
    @Option(names = "--mode", defaultValue = "hybrid", description = "search mode (default: ${DEFAULT-VALUE})")
    SearchMode mode;
    @Option(names = "--top-k", defaultValue = "3", description = "chunks retrieved per question (default: ${DEFAULT-VALUE})")
    int topK;
    @Option(names = "--verbose", description = "print every question's outcome")
    boolean verbose;

    @Override
    public Integer call() {
        List<AnswerCase> cases = AnswerCase.load(file);
        ConfigNode root = options.root();
        try (AnswerSource source = open(root, options.retrieval(root))) {
            print(AnswerEvaluation.run(cases, source));
            return 0;
        } catch (ConfigException e) {
            System.err.println("spillway eval answers: the config is not valid for --answerer " + answerer + ":");
            e.problems().forEach(p -> System.err.println("  " + p));
            return 2;
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("spillway eval answers: " + e.getMessage());
            return 1;
        }
    }

    private AnswerSource open(ConfigNode root, RetrievalConfig config) {
        if (answerer.equals("extractive")) {
            LuceneRetriever retriever = LuceneRetriever.open(config.indexDir(), Embedders.create(config),
                    config.search(), Clock.systemUTC());
            return new ExtractiveAnswerSource(retriever, mode, topK, Set.of());
        }
        List<AnswerSourceProvider> providers = ServiceLoader.load(AnswerSourceProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        return providers.stream().filter(p -> p.name().equals(answerer)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--answerer: no answer source named '" + answerer
                        + "' in this build (available: extractive" + providers.stream().map(p -> ", " + p.name())
                        .reduce("", String::concat) + ")"))
                .open(root, config, mode, topK);
    }

    private void print(AnswerEvaluation.Report report) {
        if (verbose) {
            for (var c : report.cases()) {
                System.out.printf("%s | cited=%s matched=%s top3=%s grounded=%s%n  %s%n", c.question().question(),
                        c.cited(), c.citationMatched(), c.truthInTop3(), c.groundedness().isPresent() ? String.format("%.2f", c.groundedness().getAsDouble()) : "-",
                        c.answer());
            }
        }
        System.out.printf("questions          %d%n", report.cases().size());
        System.out.printf("citation accuracy  %.3f%n", report.citationAccuracy());
        System.out.printf("truth in top 3     %.3f%n", report.top3Accuracy());
        System.out.printf("answers citing     %.3f%n", report.anyCitation());
        System.out.printf("groundedness       %.3f (over %d answers)%n", report.groundedness(), report.groundednessScored());
    }
}
