package dev.spillway.gateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.audit.AuditConfig;
import dev.spillway.gateway.audit.AuditKeyException;
import dev.spillway.gateway.audit.AuditReader;
import dev.spillway.gateway.audit.AuditVerifier;
import dev.spillway.gateway.audit.HeadAnchors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Audit: find records by request id, or by app and time (newest first, at most {@link #LIMIT}),
 * show one with its stored (already redacted) bodies, decrypted with {@code audit.body-keys} when
 * sealed, and verify the hash chain against its anchors as {@code spillway audit verify} does.
 * Blocking (files). Thread-safe.
 */
final class AuditPage {
    static final int LIMIT = 100;
    /** Bodies larger than this are cut in the page (the stored file stays whole). */
    private static final int SHOWN_BODY_BYTES = 256 * 1024;
    private final AuditConfig audit;
    private final List<HeadAnchors> anchors;

    AuditPage(AuditConfig audit, List<HeadAnchors> anchors) {
        this.audit = audit;
        this.anchors = anchors;
    }

    Answer search(Optional<String> requestId, Optional<String> app, Optional<String> from, Optional<String> to)
            throws Exception {
        ObjectNode root = Json.MAPPER.createObjectNode();
        var list = root.putArray("data");
        if (!Files.isDirectory(audit.dir())) return Answer.json(root);
        if (requestId.isPresent()) {
            AuditReader.find(audit.dir(), requestId.get()).ifPresent(list::add);
            return Answer.json(root);
        }
        Predicate<JsonNode> wanted = r -> app.map(a -> a.equals(r.path("app").asText())).orElse(true);
        Optional<Instant> since = from.map(AuditPage::instant);
        Optional<Instant> until = to.map(AuditPage::instant);
        Predicate<JsonNode> inTime = r -> {
            Instant at = Instant.parse(r.path("at").asText());
            return since.map(s -> !at.isBefore(s)).orElse(true) && until.map(at::isBefore).orElse(true);
        };
        AuditReader.search(audit.dir(), wanted.and(inTime), LIMIT).forEach(list::add);
        return Answer.json(root);
    }

    Answer show(String requestId) throws Exception {
        JsonNode record = AuditReader.find(audit.dir(), requestId).orElseThrow(() ->
                new SpillwayException.NotFound("audit_not_found", "No audit record for request '" + requestId + "'."));
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.set("record", record);
        for (String field : new String[] {"request_body", "response_body"}) {
            try {
                Optional<byte[]> body = AuditReader.plaintext(audit.dir(), record, field, audit.protection().bodyKeys());
                if (body.isEmpty()) continue;
                byte[] shown = body.get().length > SHOWN_BODY_BYTES ? Arrays.copyOf(body.get(), SHOWN_BODY_BYTES) : body.get();
                root.put(field, new String(shown, StandardCharsets.UTF_8));
                if (shown.length < body.get().length) root.put(field + "_cut_at", SHOWN_BODY_BYTES);
            } catch (AuditKeyException | java.nio.file.NoSuchFileException e) {
                root.put(field + "_error", e.getMessage());
            }
        }
        return Answer.json(root);
    }

    Answer verify() throws Exception {
        ObjectNode root = Json.MAPPER.createObjectNode();
        if (!Files.isDirectory(audit.dir())) {
            return Answer.json(root.put("intact", true).put("records", 0).put("note", "no audit log yet"));
        }
        AuditVerifier.Report r = AuditVerifier.verify(audit.dir(), audit.protection().chainKeys(), anchors);
        root.put("intact", r.intact()).put("records", r.records()).put("head-seq", r.headSeq())
                .put("head-hash", r.headHash()).put("anchors-checked", r.anchorsChecked()).put("unkeyed", r.unkeyed());
        r.problems().forEach(root.putArray("problems")::add);
        anchors.forEach(a -> root.withArray("anchored-in").add(a.describe()));
        return Answer.json(root);
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new SpillwayException.InvalidRequest("invalid_parameter",
                    "times must be ISO-8601 instants like 2026-12-07T10:00:00Z; was '" + text + "'", null);
        }
    }
}
