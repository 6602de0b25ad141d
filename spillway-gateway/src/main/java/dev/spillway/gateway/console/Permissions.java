package dev.spillway.gateway.console;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.access.keys.AppKey;
import dev.spillway.gateway.signin.Role;
import dev.spillway.gateway.signin.SignedIn;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The console's role rules, in one place: viewers change nothing, app owners reach only the apps
 * whose keys name them as owner and none of the operator pages. The API enforces these; the pages
 * only hide what a role cannot use. Stateless.
 */
final class Permissions {
    private Permissions() {
    }

    /** A change (create, rotate, revoke, drain): admins, and app owners for their own apps. */
    static void mayChange(SignedIn who) {
        if (who.role() == Role.VIEWER) {
            throw new SpillwayException.Forbidden("read_only", "The viewer role can look but not change anything.");
        }
    }

    /** Operator pages (overview, backends, audit): admins and viewers. */
    static void operator(SignedIn who) {
        if (who.role() == Role.APP_OWNER) {
            throw new SpillwayException.Forbidden("operators_only", "This page is for operators (admin or viewer).");
        }
    }

    /** An operator change (drain, undrain): admins only. */
    static void admin(SignedIn who) {
        operator(who);
        mayChange(who);
    }

    /** The apps an app owner manages: those of the keys whose owner is them. */
    static Set<String> appsOf(SignedIn who, List<AppKey> keys) {
        return keys.stream().filter(k -> k.owner().equals(Optional.of(who.subject()))).map(AppKey::app)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Whether {@code who} may see or manage {@code app}. */
    static boolean reaches(SignedIn who, String app, List<AppKey> keys) {
        return who.seesAllApps() || appsOf(who, keys).contains(app);
    }
}
