package dev.payproc.risk.rules;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.CardOnFile;
import dev.payproc.core.model.DecisionStatus;
import dev.payproc.risk.Blocklist;
import dev.payproc.risk.Rule;
import dev.payproc.risk.RuleContext;
import dev.payproc.risk.RuleOutcome;
import java.util.Set;
import java.util.StringJoiner;

/**
 * {@code BLOCKLIST}: an attempt matching any list is declined; the message names every list that matched
 * and shows at most the BIN, never a token, a fingerprint or more of the card number.
 */
public final class BlocklistRule implements Rule {
    private final Blocklist lists;
    private final BinPrefixes bins;

    public BlocklistRule(Blocklist lists) {
        this.lists = lists;
        this.bins = new BinPrefixes(lists.bins());
    }

    @Override
    public void evaluate(RuleContext ctx, RuleOutcome out) {
        Authorization auth = ctx.auth();
        CardOnFile card = auth.card();
        boolean token = contains(lists.cardTokens(), card.token());
        boolean fingerprint = contains(lists.cardFingerprints(), card.fingerprint());
        int bin = bins.match(card.bin());
        boolean merchant = contains(lists.merchantIds(), auth.merchantId());
        boolean country = contains(lists.merchantCountries(), auth.merchantCountry());
        boolean mcc = contains(lists.mccs(), auth.mcc());
        if (!token && !fingerprint && bin == 0 && !merchant && !country && !mcc) return;
        StringJoiner matched = new StringJoiner(", ", "blocklisted: ", "");
        if (token) matched.add("card token");
        if (fingerprint) matched.add("card fingerprint");
        if (bin > 0) matched.add("BIN " + card.bin().substring(0, bin));
        if (merchant) matched.add("merchant " + auth.merchantId());
        if (country) matched.add("merchant country " + auth.merchantCountry());
        if (mcc) matched.add("MCC " + auth.mcc());
        out.fire("BLOCKLIST", matched.toString(), 1000, DecisionStatus.DECLINED);
    }

    /** Immutable sets refuse a null lookup; a field the card lacks matches nothing. */
    private static boolean contains(Set<String> list, String value) {
        return value != null && list.contains(value);
    }
}
