package dev.spillway.gateway.route;

import io.vertx.core.http.RequestOptions;
import java.net.URI;

/**
 * A backend's scheme, host and port, read once from its configured URL, so an attempt's request
 * options are set from them and the path after them instead of parsing the absolute URI again
 * ({@link RequestOptions#setAbsoluteURI} builds a {@code java.net.URL} per call). It sets what
 * that method sets (host, port, TLS, the path and query), and leaves a URI it does not start,
 * or a URL with user info, a query or a fragment, to that method. Immutable.
 */
record BackendOrigin(String base, int authorityLength, String host, int port, boolean tls) {
    /** Null when {@code url} has a part this shortcut does not reproduce. */
    static BackendOrigin of(URI url) {
        if (url.getHost() == null || url.getRawUserInfo() != null || url.getRawQuery() != null
                || url.getRawFragment() != null) {
            return null;
        }
        String base = url.toString();
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        boolean tls = "https".equals(url.getScheme());
        int port = url.getPort() != -1 ? url.getPort() : tls ? 443 : 80;
        return new BackendOrigin(base, base.length() - path.length(), url.getHost(), port, tls);
    }

    /** Points {@code options} at {@code absoluteUri}, a URI built on this origin's URL or not. */
    void target(RequestOptions options, String absoluteUri) {
        if (!continues(absoluteUri)) {
            options.setAbsoluteURI(absoluteUri);
            return;
        }
        String file = absoluteUri.substring(authorityLength);
        options.setHost(host).setPort(port).setSsl(tls).setURI(file.startsWith("/") ? file : "/" + file);
    }

    /** Whether {@code uri} is this origin's URL followed by a path or query, not a longer host or port. */
    private boolean continues(String uri) {
        if (!uri.startsWith(base)) return false;
        if (uri.length() == base.length() || base.endsWith("/")) return true;
        char next = uri.charAt(base.length());
        return next == '/' || next == '?';
    }
}
