package dev.spillway.gateway.console;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.price.Price;
import dev.spillway.gateway.price.PriceTable;
import java.util.function.Supplier;
import dev.spillway.gateway.route.AdminEndpoint;
import dev.spillway.gateway.route.pool.BackendState;
import dev.spillway.gateway.route.pool.BackendStates;
import dev.spillway.gateway.signin.SignedIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backends: each one's live state as {@code GET /admin/backends} shows it, with its kind (PTU or
 * pay-as-you-go, from the price table), and drain / undrain: a drained backend gets no new
 * requests on this gateway process (requests in flight finish). Thread-safe; non-blocking.
 */
final class BackendsPage {
    private static final Logger LOG = LoggerFactory.getLogger(BackendsPage.class);
    private final BackendStates states;
    private final Supplier<PriceTable> prices;

    BackendsPage(BackendStates states, Supplier<PriceTable> prices) {
        this.states = states;
        this.prices = prices;
    }

    Answer list() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("backends");
        for (BackendStates.BackendSnapshot s : states.snapshot()) {
            AdminEndpoint.describe(list.addObject(), s)
                    .put("kind", prices.get().price(s.name()).map(Price::isPtu).orElse(false) ? "ptu" : "pay-as-you-go");
        }
        return Answer.json(root);
    }

    Answer drain(SignedIn who, String name, boolean drained) {
        Permissions.admin(who);
        BackendState state = states.all().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new SpillwayException.NotFound("backend_not_found", "No backend named '" + name + "'."));
        state.drained(drained);
        LOG.info("backend {} {} by {} in the console", name, drained ? "drained" : "undrained", who.subject());
        return list();
    }
}
