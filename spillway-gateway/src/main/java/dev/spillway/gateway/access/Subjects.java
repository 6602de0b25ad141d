package dev.spillway.gateway.access;

import dev.spillway.gateway.access.limit.LimitPlan;
import dev.spillway.gateway.pipeline.Caller;
import java.util.Optional;

/** Maps a {@link Caller} to the subjects its limits are counted on. Stateless. */
final class Subjects {
    private Subjects() {
    }

    static LimitPlan.Subjects of(Caller c) {
        return new LimitPlan.Subjects(c.grants().keyId(), c.grants().limits(), c.app(), nonEmpty(c.team()),
                nonEmpty(c.user()));
    }

    private static Optional<String> nonEmpty(String s) {
        return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
    }
}
