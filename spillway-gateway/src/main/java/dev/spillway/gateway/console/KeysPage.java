package dev.spillway.gateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.config.Durations;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.access.keys.AppKey;
import dev.spillway.gateway.access.keys.KeyJson;
import dev.spillway.gateway.access.keys.KeyService;
import dev.spillway.gateway.access.keys.KeysAdminApi;
import dev.spillway.gateway.ledger.MinuteRollups;
import dev.spillway.gateway.ledger.RollupStore;
import dev.spillway.gateway.ledger.ReportFormat;
import dev.spillway.gateway.signin.SignedIn;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Apps and keys: the keys a person may see with what each used this minute, day and month (from
 * the rollups, so beside its limits as usage bars), and create, rotate and revoke through the same
 * {@link KeyService} as {@code /admin/keys}. App owners see and manage only their apps' keys, and
 * keys they create name them as owner. Blocking: worker threads only. Thread-safe.
 */
final class KeysPage {
    private final KeyService keys;
    private final Optional<MinuteRollups> rollups;
    private final Clock clock;

    KeysPage(KeyService keys, Optional<MinuteRollups> rollups, Clock clock) {
        this.keys = keys;
        this.rollups = rollups;
        this.clock = clock;
    }

    Answer list(SignedIn who) throws Exception {
        List<AppKey> all = keys.list();
        Instant now = clock.instant();
        Map<String, long[]> minute = used(now.truncatedTo(ChronoUnit.MINUTES), now);
        Map<String, long[]> day = used(now.truncatedTo(ChronoUnit.DAYS), now);
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Map<String, long[]> month = used(today.withDayOfMonth(1).atStartOfDay().toInstant(ZoneOffset.UTC), now);
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("usage-known", rollups.isPresent());
        ArrayNode data = root.putArray("data");
        for (AppKey k : all) {
            if (!Permissions.reaches(who, k.app(), all)) continue;
            ObjectNode o = KeyJson.describe(k);
            o.put("active", k.activeAt(now));
            ObjectNode u = o.putObject("usage");
            u.put("tokens-this-minute", minute.getOrDefault(k.displayPrefix(), new long[2])[0]);
            u.put("tokens-today", day.getOrDefault(k.displayPrefix(), new long[2])[0]);
            u.put("tokens-this-month", month.getOrDefault(k.displayPrefix(), new long[2])[0]);
            u.put("cost-this-month-usd", ReportFormat.usd(month.getOrDefault(k.displayPrefix(), new long[2])[1]));
            data.add(o);
        }
        return Answer.json(root);
    }

    /** Tokens and cost per key prefix in {@code [from, to]}, stored and pending. */
    private Map<String, long[]> used(Instant from, Instant to) throws Exception {
        Map<String, long[]> out = new HashMap<>();
        if (rollups.isEmpty()) return out;
        Instant end = to.plusMillis(1);
        return rollups.get().read((store, pending, backends) -> {
            for (RollupStore.UsageMinute m : store.byKey(from, end)) add(out, m);
            for (RollupStore.UsageMinute m : pending) {
                if (m.minuteMs() >= from.toEpochMilli() && m.minuteMs() < end.toEpochMilli()) add(out, m);
            }
            return out;
        });
    }

    private static void add(Map<String, long[]> out, RollupStore.UsageMinute m) {
        long[] v = out.computeIfAbsent(m.keyPrefix(), k -> new long[2]);
        v[0] += m.tokens();
        v[1] += m.costNanos();
    }

    Answer create(SignedIn who, JsonNode body) {
        Permissions.mayChange(who);
        ObjectNode form = body.deepCopy();
        if (!who.seesAllApps()) {
            String app = form.path("app").asText("");
            if (!Permissions.appsOf(who, keys.list()).contains(app)) {
                throw new SpillwayException.Forbidden("not_your_app", "You can create keys only for your own apps.");
            }
            form.put("owner", who.subject());
        }
        return issued(201, keys.create(KeysAdminApi.newKey(form)));
    }

    Answer rotate(SignedIn who, String id, JsonNode body) {
        mine(who, id);
        Duration overlap;
        try {
            overlap = Optional.ofNullable(body.get("overlap")).map(JsonNode::asText).map(Durations::parse)
                    .orElse(Duration.ofHours(24));
        } catch (IllegalArgumentException e) {
            throw new SpillwayException.InvalidRequest("invalid_request_error", "overlap: " + e.getMessage(), null);
        }
        return issued(200, keys.rotate(id, overlap).orElseThrow(() -> missing(id)));
    }

    Answer revoke(SignedIn who, String id) {
        mine(who, id);
        return Answer.json(KeyJson.describe(keys.revoke(id).orElseThrow(() -> missing(id))));
    }

    /** The key, if {@code who} may change it; a key out of reach is reported as missing. */
    private void mine(SignedIn who, String id) {
        Permissions.mayChange(who);
        List<AppKey> all = keys.list();
        AppKey k = all.stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow(() -> missing(id));
        if (!Permissions.reaches(who, k.app(), all)) throw missing(id);
    }

    private static Answer issued(int status, KeyService.IssuedKey issued) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.set("key", KeyJson.describe(issued.key()));
        o.put("secret", issued.secret());
        return Answer.json(status, o);
    }

    private static SpillwayException missing(String id) {
        return new SpillwayException.NotFound("key_not_found", "No active key with id '" + id + "'.");
    }
}
