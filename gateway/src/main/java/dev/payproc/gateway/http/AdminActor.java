package dev.payproc.gateway.http;

import io.vertx.ext.web.RoutingContext;

/**
 * Who an admin request acts for, as the audit trail records it: the name of the admin key that authenticated it
 * ({@link AdminHandler#authorize} stores it). No header can change it: {@code X-Admin-Actor} is ignored.
 */
final class AdminActor {
    private static final String KEY = "payproc.adminActor";

    private AdminActor() {}

    static void authenticated(RoutingContext ctx, String keyName) {
        ctx.put(KEY, keyName);
    }

    static String of(RoutingContext ctx) {
        String who = ctx.get(KEY);
        // Every /admin route passes the guard first; an entry without a known actor is never written.
        if (who == null) throw new IllegalStateException("an admin request reached its handler unauthenticated");
        return who;
    }
}
