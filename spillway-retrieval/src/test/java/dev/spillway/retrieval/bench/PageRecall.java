package dev.spillway.retrieval.bench;

import dev.spillway.retrieval.Hit;
import dev.spillway.retrieval.RetrievalConfig;
import dev.spillway.retrieval.SearchMode;
import dev.spillway.retrieval.SearchRequest;
import dev.spillway.retrieval.embed.CachingEmbedder;
import dev.spillway.retrieval.embed.Embedders;
import dev.spillway.retrieval.embed.LocalModel;
import dev.spillway.retrieval.index.LuceneRetriever;
import dev.spillway.retrieval.index.SearchTuning;
import dev.spillway.retrieval.ingest.IngestSummary;
import dev.spillway.retrieval.ingest.Ingestor;
import dev.spillway.retrieval.ingest.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Page recall of an ingested index, without a model: for each line {@code question TAB query TAB
 * truth-citation...} (written by {@code benchmarks/rag/page-recall-queries.py}) where the first hit
 * citing a truth page ranks, per mode; prints the share with such a page first and in the top 3,
 * and with {@code verbose} the hybrid misses. A query of {@code ||}-separated parts searches each
 * part and takes their hits in turn. {@code -Dfusion=rrf}, {@code -Dtext-weight=W} set the tuning;
 * {@code -Dnext-page=true} also counts the page after a truth page (how chunks that run on over a
 * page break, cited by their first page, would be judged). {@code INDEX-DIR page SOURCE N...}
 * prints pages. {@code -Dlocal-model=ID} picks the embedder; {@code ingest INDEX-DIR DOCS-DIR CACHE}
 * ingests with the default chunking, its vectors kept in (and taken from) an embeddings cache
 * file, so a variant that changes only some chunks embeds only those. {@code sources INDEX-DIR
 * QUERIES.tsv CACHE} prints, per question, the hybrid top 3 as the chat app puts them in its
 * prompt (one JSON line: question, truth, sources), for the simulator's {@code CitationScreen}.
 * Not a test.
 *
 * <pre>java -cp ... dev.spillway.retrieval.bench.PageRecall INDEX-DIR QUERIES.tsv [verbose]
 * java -cp ... dev.spillway.retrieval.bench.PageRecall ingest INDEX-DIR DOCS-DIR CACHE
 * java -cp ... dev.spillway.retrieval.bench.PageRecall sources INDEX-DIR QUERIES.tsv CACHE &gt; SOURCES.jsonl</pre>
 */
public final class PageRecall {
    /** Each {@code ||}-separated query searched, their hits taken in turn, each citation once. */
    private static List<Hit> search(LuceneRetriever retriever, String queries, SearchMode mode) {
        List<List<Hit>> lists = Arrays.stream(queries.split("\\|\\|"))
                .map(q -> retriever.search(new SearchRequest(q.strip(), mode, 20, Set.of()))).toList();
        java.util.LinkedHashMap<String, Hit> merged = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 20; i++) for (List<Hit> l : lists) if (i < l.size()) merged.putIfAbsent(l.get(i).citation(), l.get(i));
        return List.copyOf(merged.values());
    }

    private static RetrievalConfig config(Path index, SearchTuning tuning) {
        RetrievalConfig c = RetrievalConfig.DEFAULTS;
        LocalModel model = LocalModel.byId(System.getProperty("local-model", c.localModel().id())).orElseThrow();
        return new RetrievalConfig(index, Path.of("data/models"), c.embedder(), model,
                c.gateway(), 1, c.embedMaxTokens(), c.chunkSize(), c.chunkOverlap(), tuning, c.accessGroups(), c.defaultGroups());
    }

    private static void ingest(Path index, Path docs, Path cache) {
        RetrievalConfig config = config(index, SearchTuning.DEFAULTS);
        long t0 = System.nanoTime();
        try (CachingEmbedder embedder = CachingEmbedder.open(Embedders.create(config), cache)) {
            IngestSummary s = new Ingestor(config, embedder).ingest(List.of(docs), ProgressListener.NONE);
            System.out.printf(Locale.ROOT, "%s in %.0f s%n", s, (System.nanoTime() - t0) / 1e9);
        }
    }

    /** Each question's hybrid top 3, each source's text as the chat app's answer step writes it. */
    private static void sources(Path index, Path queries, Path cache) throws Exception {
        RetrievalConfig config = config(index, SearchTuning.DEFAULTS);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        try (CachingEmbedder embedder = CachingEmbedder.open(Embedders.create(config), cache);
                LuceneRetriever retriever = LuceneRetriever.open(index, embedder, config.search(), Clock.systemUTC())) {
            for (String line : Files.readAllLines(queries)) {
                String[] f = line.split("\t");
                List<java.util.Map<String, String>> sources = retriever.search(new SearchRequest(f[1], SearchMode.HYBRID, 3, Set.of()))
                        .stream().map(h -> java.util.Map.of("citation", h.citation(),
                                "text", h.text().replaceAll("\\s+", " ").strip())).toList();
                System.out.println(json.writeValueAsString(java.util.Map.of("question", f[0],
                        "truth", List.of(f[2].split(" ")), "sources", sources)));
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("ingest")) {
            ingest(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
            return;
        }
        if (args[0].equals("sources")) {
            sources(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
            return;
        }
        Path index = Path.of(args[0]);
        List<String[]> cases = args[1].equals("page") ? List.of()
                : Files.readAllLines(Path.of(args[1])).stream().map(l -> l.split("\t")).toList();
        boolean verbose = args.length > 2;
        SearchTuning d = SearchTuning.DEFAULTS;
        SearchTuning tuning = new SearchTuning(d.candidates(),
                SearchTuning.Fusion.valueOf(System.getProperty("fusion", d.fusion().name()).toUpperCase(Locale.ROOT)),
                d.rrfK(), Double.parseDouble(System.getProperty("text-weight", Double.toString(d.textWeight()))),
                d.refreshInterval());
        RetrievalConfig config = config(index, tuning);
        try (LuceneRetriever retriever = LuceneRetriever.open(index, NoQueryInstruction.unless(Embedders.create(config)), tuning, Clock.systemUTC())) {
            if (args[1].equals("page")) {
                for (int i = 3; i < args.length; i++) {
                    System.out.println("=== " + args[2] + " " + args[i] + "\n" + retriever.open(args[2], Integer.parseInt(args[i]), Set.of()).orElseThrow().text());
                }
                return;
            }
            for (SearchMode mode : List.of(SearchMode.TEXT, SearchMode.VECTOR, SearchMode.HYBRID)) {
                int first = 0, top3 = 0;
                for (String[] c3 : cases) {
                    Set<String> truth = new java.util.HashSet<>(Arrays.asList(c3[2].toLowerCase(Locale.ROOT).split(" ")));
                    if (Boolean.getBoolean("next-page")) {
                        for (String t : List.copyOf(truth)) {
                            int eq = t.lastIndexOf('=');
                            truth.add(t.substring(0, eq + 1) + (Integer.parseInt(t.substring(eq + 1)) + 1));
                        }
                    }
                    List<Hit> hits = search(retriever, c3[1], mode);
                    int rank = -1;
                    for (int i = 0; i < hits.size() && rank < 0; i++) {
                        if (truth.contains(hits.get(i).citation().toLowerCase(Locale.ROOT))) rank = i;
                    }
                    if (rank == 0) first++;
                    if (rank >= 0 && rank < 3) top3++;
                    if (verbose && mode == SearchMode.HYBRID && (rank < 0 || rank >= 3)) {
                        System.out.printf("rank %2d  %s%n    truth %s%n    got   %s%n", rank, c3[0], c3[2],
                                hits.stream().limit(5).map(h -> h.citation().replace("_Benefits_Details.pdf#page=", "#")
                                        + String.format(Locale.ROOT, "(%.2f)", h.score())).toList());
                    }
                }
                System.out.printf(Locale.ROOT, "%-7s first %.2f  top3 %.2f%n", mode, first / (double) cases.size(),
                        top3 / (double) cases.size());
            }
        }
    }
}
