package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code spillway ingest} and {@code spillway eval} in-process on tiny inputs (real model). */
class RetrievalCommandsTest {
    @TempDir
    Path tmp;

    private String run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            int code = SpillwayCommand.commandLine().execute(args);
            return code + "\n" + bytes.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(original);
        }
    }

    private Path config() throws IOException {
        return Files.writeString(tmp.resolve("spillway.yaml"), """
                chat:
                  retrieval:
                    index-dir: %s
                    model-cache-dir: %s
                """.formatted(tmp.resolve("index"), tmp.resolve("models")));
    }

    @Test
    void ingestThenEvalAnswersReportsTheSummaryAndCitationAccuracy() throws IOException {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(docs.resolve("gym.md"), "# Gym\n\nPerksPlus refunds gym memberships up to 1000 dollars a year.");
        Files.writeString(docs.resolve("dental.txt"), "Two dental cleanings a year are free.");
        String first = run("ingest", "--config", config().toString(), docs.toString());
        assertThat(first).startsWith("0\n").contains("files: 2 added, 0 updated, 0 unchanged, 0 removed; chunks: 2 added");
        assertThat(run("ingest", "--config", config().toString(), docs.toString())).contains("files: 0 added, 0 updated, 2 unchanged");

        Path truth = Files.writeString(tmp.resolve("truth.jsonl"),
                "{\"question\": \"How much does PerksPlus refund for the gym?\", \"truth\": \"1000 dollars [gym.md#gym]\"}\n");
        assertThat(run("eval", "answers", truth.toString(), "--config", config().toString()))
                .startsWith("0\n").contains("citation accuracy  1.000");
    }

    @Test
    void evalRetrievalReportsTheMetricsPerMode() throws IOException {
        Path corpus = Files.writeString(tmp.resolve("corpus.jsonl"), """
                {"_id": "d1", "title": "Dental", "text": "Two dental cleanings a year are free."}
                {"_id": "d2", "title": "Gym", "text": "PerksPlus refunds gym memberships."}
                """);
        Path queries = Files.writeString(tmp.resolve("queries.jsonl"), "{\"_id\": \"q1\", \"text\": \"teeth cleaning\"}\n");
        Path qrels = Files.writeString(tmp.resolve("qrels.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\n");
        String out = run("eval", "retrieval", "--corpus", corpus.toString(), "--queries", queries.toString(),
                "--qrels", qrels.toString(), "--modes", "vector,hybrid", "--model-cache-dir", tmp.resolve("models").toString());
        assertThat(out).startsWith("0\n").contains("corpus 2 docs, 1 judged queries")
                .containsPattern("vector +1\\.0000 +1\\.0000 +1\\.0000 +1 ")
                .containsPattern("hybrid +1\\.0000 +1\\.0000 +1\\.0000 +1 ");
    }

    @Test
    void aMissingQrelsOptionIsAClearError() {
        PrintStream err = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            int code = SpillwayCommand.commandLine().execute("eval", "retrieval", "--corpus", "c", "--queries", "q");
            assertThat(code).isEqualTo(2);
            assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("Missing required option: '--qrels=<qrels>'");
        } finally {
            System.setErr(err);
        }
    }
}
