package dev.payproc.ledger.admin;

import dev.payproc.core.port.RuleSetStore;
import dev.payproc.ledger.audit.AdminAudit;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Rule-set documents as they were put through the admin API. The highest version is the one in force;
 * every process polls it, so a change made through one process reaches all that share the database.
 */
public final class RiskRuleStore implements RuleSetStore {

    private final Pool pool;
    private final AdminAudit audit;

    public RiskRuleStore(Pool pool, AdminAudit audit) {
        this.pool = pool;
        this.audit = audit;
    }

    /** The newest stored rule set, or null when none was ever put. */
    public Future<Stored> latest() {
        return pool.query("SELECT version, document FROM risk_rule_sets ORDER BY version DESC LIMIT 1")
                .execute()
                .map(rows -> rows.size() == 0
                        ? null
                        : new Stored(
                                rows.iterator().next().getInteger(0),
                                rows.iterator().next().getString(1)));
    }

    /**
     * Stores a new version with its audit entry in one transaction; completes with false when that version
     * (or a newer one) exists already, so two concurrent puts cannot both win.
     */
    public Future<Boolean> put(int version, String document, String actor, String auditDetail) {
        return pool.withTransaction(conn -> put(conn, version, document, actor, auditDetail));
    }

    /** {@link #put} inside a transaction of the caller's (the rotation of {@code CARD_HMAC_KEY} translating blocklists). */
    public Future<Boolean> put(SqlConnection conn, int version, String document, String actor, String auditDetail) {
        return conn.preparedQuery("INSERT INTO risk_rule_sets (version, document) SELECT $1, $2 "
                        + "WHERE NOT EXISTS (SELECT 1 FROM risk_rule_sets WHERE version >= $1) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(version, document))
                .compose(rows -> rows.rowCount() == 0
                        ? Future.succeededFuture(false)
                        : audit.append(conn, actor, "risk_rules.put", auditDetail)
                                .map(true));
    }
}
