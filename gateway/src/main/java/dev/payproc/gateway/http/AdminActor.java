package dev.payproc.gateway.http;

import io.vertx.ext.web.RoutingContext;

/** Who an admin request acts for, as the audit trail records it. */
final class AdminActor {
    private AdminActor() {}

    static String of(RoutingContext ctx) {
        String who = ctx.request().getHeader("X-Admin-Actor");
        return who == null || who.isBlank() || who.length() > 64 ? "admin" : who;
    }
}
