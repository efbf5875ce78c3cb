package dev.payproc.ledger.commit;

import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** Rows collected column by column, handed to PostgreSQL as one array per column for {@code unnest()}. */
final class Columns {
    private final List<Object[]> rows = new ArrayList<>();

    void add(Object... row) {
        rows.add(row);
    }

    int size() {
        return rows.size();
    }

    /** Appends one typed array per column; {@code arrays} gives each column's array type, in order. */
    @SafeVarargs
    final void appendTo(Tuple tuple, IntFunction<? extends Object[]>... arrays) {
        for (int c = 0; c < arrays.length; c++) {
            Object[] column = arrays[c].apply(rows.size());
            for (int r = 0; r < rows.size(); r++) column[r] = rows.get(r)[c];
            tuple.addValue(column);
        }
    }
}
