package dev.spillway.gateway.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.pipeline.Caller;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Files and Batches operations behind the HTTP API, for one caller's app: upload (size and
 * line limits checked at once), create, retrieve, list and cancel batches, read files. Another
 * app's files and batches do not exist for a caller. Blocking (database): call from a worker.
 * Thread-safe; one per gateway.
 */
final class BatchService {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Duration WINDOW = Duration.ofHours(24);
    private final BatchConfig config;
    private final BatchStorage storage;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    BatchService(BatchConfig config, BatchStorage storage, Clock clock) {
        this.config = config;
        this.storage = storage;
        this.clock = clock;
    }

    ObjectNode upload(Caller caller, String purpose, String filename, byte[] content) throws Exception {
        if (!StoredFile.BATCH.equals(purpose)) {
            throw invalid("invalid_purpose", "Spillway stores files for purpose 'batch' only, was '" + purpose + "'.", "purpose");
        }
        if (content.length == 0) throw invalid("empty_file", "The file is empty.", "file");
        int lines = BatchLines.count(content);
        if (lines > config.maxLines()) {
            throw invalid("too_many_requests_in_file", "The file has " + lines + " requests; a batch may hold at most "
                    + config.maxLines() + ".", "file");
        }
        StoredFile file = new StoredFile("file-" + token(), caller.app(), purpose, filename, content.length,
                clock.instant(), Optional.empty());
        storage.store().insertFile(file, content);
        return BatchJson.wire(file);
    }

    ObjectNode file(Caller caller, String id) throws Exception {
        return BatchJson.wire(ownFile(caller, id));
    }

    ObjectNode files(Caller caller, Optional<String> purpose, int limit, Optional<String> after) throws Exception {
        List<StoredFile> page = storage.store().files(caller.app(), purpose, limit + 1, after);
        return list(page.stream().limit(limit).map(BatchJson::wire).toList(), page.size() > limit);
    }

    /** An upload's bytes, or a batch's output or error file made from its ended lines. */
    byte[] content(Caller caller, String id) throws Exception {
        StoredFile f = ownFile(caller, id);
        if (f.batchId().isEmpty()) return storage.store().content(id).orElseThrow(() -> missingFile(id));
        return BatchLines.file(f.batchId().get(), storage.queue().ended(f.batchId().get()),
                f.filename().endsWith("_error.jsonl"));
    }

    ObjectNode create(Caller caller, JsonNode body) throws Exception {
        String fileId = text(body, "input_file_id");
        String endpoint = text(body, "endpoint");
        if (BatchLines.operation(endpoint).isEmpty()) {
            throw invalid("invalid_endpoint", "'endpoint' must be /v1/chat/completions, /v1/completions or "
                    + "/v1/embeddings, was '" + endpoint + "'.", "endpoint");
        }
        if (!"24h".equals(text(body, "completion_window"))) {
            throw invalid("invalid_completion_window", "'completion_window' must be 24h.", "completion_window");
        }
        JsonNode metadata = body.path("metadata");
        if (!metadata.isMissingNode() && !metadata.isNull() && (!metadata.isObject() || metadata.size() > 16)) {
            throw invalid("invalid_metadata", "'metadata' must be an object of at most 16 string pairs.", "metadata");
        }
        StoredFile input = ownFile(caller, fileId);
        if (!StoredFile.BATCH.equals(input.purpose())) {
            throw invalid("invalid_input_file", "The file " + fileId + " was not uploaded with purpose 'batch'.", "input_file_id");
        }
        Instant now = clock.instant();
        BatchRecord b = new BatchRecord("batch_" + token(), owner(caller), endpoint, fileId, "24h",
                metadata.isObject() ? metadata.toString() : "null", BatchStatus.VALIDATING, now, now.plus(WINDOW), Map.of(),
                Optional.empty(), Optional.empty(), List.of(), Optional.empty());
        storage.store().insertBatch(b);
        return BatchJson.wire(b, new BatchRecord.RequestCounts(0, 0, 0));
    }

    ObjectNode batch(Caller caller, String id) throws Exception {
        return wire(ownBatch(caller, id));
    }

    ObjectNode batches(Caller caller, int limit, Optional<String> after) throws Exception {
        List<BatchRecord> page = storage.store().batches(caller.app(), limit + 1, after);
        List<ObjectNode> data = new java.util.ArrayList<>();
        for (BatchRecord b : page.stream().limit(limit).toList()) data.add(wire(b));
        return list(data, page.size() > limit);
    }

    /** Stops new lines at once; lines in flight finish, and the scheduler ends the batch {@code cancelled}. */
    ObjectNode cancel(Caller caller, String id) throws Exception {
        BatchRecord b = ownBatch(caller, id);
        if (b.status() != BatchStatus.VALIDATING && b.status() != BatchStatus.IN_PROGRESS) {
            if (b.status() == BatchStatus.CANCELLING || b.status() == BatchStatus.CANCELLED) return wire(b);
            throw invalid("invalid_batch_status", "A batch that is " + b.status().wire() + " cannot be cancelled.", null);
        }
        Instant now = clock.instant();
        if (!storage.store().transition(b.status(), b.moved(BatchStatus.CANCELLING, now))) return batch(caller, id);
        storage.queue().endWaiting(b.id(), LineState.CANCELLED, now);
        return batch(caller, id);
    }

    private ObjectNode wire(BatchRecord b) throws Exception {
        BatchRecord.RequestCounts counts = b.finalCounts().isPresent() ? b.finalCounts().get()
                : BatchRecord.RequestCounts.of(storage.queue().counts(b.id()));
        return BatchJson.wire(b, counts);
    }

    private StoredFile ownFile(Caller caller, String id) throws Exception {
        return storage.store().file(id).filter(f -> f.app().equals(caller.app())).orElseThrow(() -> missingFile(id));
    }

    private BatchRecord ownBatch(Caller caller, String id) throws Exception {
        return storage.store().batch(id).filter(b -> b.owner().app().equals(caller.app()))
                .orElseThrow(() -> new SpillwayException.NotFound("not_found", "No batch found with id '" + id + "'."));
    }

    private static SpillwayException missingFile(String id) {
        return new SpillwayException.NotFound("not_found", "No such File object: " + id);
    }

    static BatchOwner owner(Caller c) {
        return new BatchOwner(c.keyName(), c.app(), c.team(), c.user(), c.keyPrefix(), c.grants().keyId(),
                c.grants().roles(), c.grants().viaJwt());
    }

    private static ObjectNode list(List<ObjectNode> data, boolean more) {
        ObjectNode o = F.objectNode().put("object", "list");
        ArrayNode items = o.putArray("data");
        data.forEach(items::add);
        if (data.isEmpty()) {
            o.putNull("first_id").putNull("last_id");
        } else {
            o.put("first_id", data.get(0).path("id").asText()).put("last_id", data.get(data.size() - 1).path("id").asText());
        }
        return o.put("has_more", more);
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) throw invalid("missing_required_parameter",
                "'" + field + "' is required and must be a string.", field);
        return v.asText();
    }

    private static SpillwayException invalid(String code, String message, String param) {
        return new SpillwayException.InvalidRequest(code, message, param);
    }

    private String token() {
        byte[] b = new byte[12];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

}
