package dev.spillway.retrieval.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A retrieval test collection in BEIR format: {@code corpus.jsonl} ({@code _id, title, text}),
 * {@code queries.jsonl} ({@code _id, text}) and a qrels TSV with the header
 * {@code query-id corpus-id score}. Only queries that have judgments are kept. Immutable.
 */
public record BeirDataset(List<Doc> corpus, List<Query> queries, Map<String, Map<String, Integer>> qrels) {
    public record Doc(String id, String title, String text) {
    }

    public record Query(String id, String text) {
    }

    /** Loads the three files; {@code limit} keeps only the first N judged queries (0 = all). */
    public static BeirDataset load(Path corpus, Path queries, Path qrels, int limit) {
        Map<String, Map<String, Integer>> judged = readQrels(qrels);
        List<Doc> docs = new ArrayList<>();
        for (JsonNode n : readJsonLines(corpus)) {
            docs.add(new Doc(required(n, "_id", corpus), n.path("title").asText(""), n.path("text").asText("")));
        }
        List<Query> qs = new ArrayList<>();
        for (JsonNode n : readJsonLines(queries)) {
            String id = required(n, "_id", queries);
            if (judged.containsKey(id) && (limit <= 0 || qs.size() < limit)) qs.add(new Query(id, n.path("text").asText()));
        }
        if (qs.isEmpty()) throw new IllegalArgumentException(queries + ": no query has judgments in " + qrels);
        return new BeirDataset(List.copyOf(docs), List.copyOf(qs), judged);
    }

    private static Map<String, Map<String, Integer>> readQrels(Path file) {
        Map<String, Map<String, Integer>> out = new HashMap<>();
        List<String> lines = readLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || (i == 0 && line.startsWith("query-id"))) continue;
            String[] f = line.split("\\s+");
            if (f.length != 3) throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected 'query-id corpus-id score'");
            try {
                out.computeIfAbsent(f[0], q -> new LinkedHashMap<>()).put(f[1], Integer.parseInt(f[2]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": score must be a whole number, was '" + f[2] + "'");
            }
        }
        return out;
    }

    static List<JsonNode> readJsonLines(Path file) {
        List<JsonNode> out = new ArrayList<>();
        List<String> lines = readLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            try {
                out.add(Json.MAPPER.readTree(lines.get(i)));
            } catch (IOException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": not a JSON object: " + e.getMessage());
            }
        }
        return out;
    }

    private static List<String> readLines(Path file) {
        try (BufferedReader r = Files.newBufferedReader(file)) {
            return r.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String required(JsonNode n, String field, Path file) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) throw new IllegalArgumentException(file + ": a line has no '" + field + "'");
        return v.asText();
    }
}
