package dev.spillway.chat.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Adds the browser-hardening headers to every response: a strict Content-Security-Policy (only our
 * own scripts and styles, no inline code, no framing), no MIME sniffing, same-origin referrers.
 * Stateless.
 */
public final class SecurityHeaders implements Handler<RoutingContext> {
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    @Override
    public void handle(RoutingContext ctx) {
        ctx.response().putHeader("content-security-policy", CSP)
                .putHeader("x-content-type-options", "nosniff")
                .putHeader("referrer-policy", "same-origin")
                .putHeader("x-frame-options", "DENY");
        ctx.next();
    }
}
