package dev.payproc.risk;

import static org.junit.jupiter.api.Assertions.fail;

import dev.payproc.core.card.CardTokenizer;
import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.CaptureMode;
import dev.payproc.core.model.CardOnFile;
import dev.payproc.core.model.CardholderVerification;
import dev.payproc.core.model.Decision;
import dev.payproc.core.model.EntryMode;
import dev.payproc.core.model.Reason;
import dev.payproc.risk.json.RuleSetDocument;
import java.util.List;

/** An authorization to decide, built field by field from ordinary defaults (a chip-and-PIN EUR payment in DE). */
public final class Attempt {
    private final String fingerprint;
    private String token = "tok_x";
    private String pan = "4111111111111111";
    private String merchant = "m-1";
    private String terminal = "t-1";
    private long amount = 1250;
    private String currency = "EUR";
    private String country = "DE";
    private String mcc = "5411";
    private EntryMode entryMode = EntryMode.CHIP;
    private CardholderVerification verification = CardholderVerification.PIN;

    private Attempt(String fingerprint) {
        this.fingerprint = fingerprint;
    }

    public static Attempt card(String fingerprint) {
        return new Attempt(fingerprint);
    }

    public Attempt token(String v) {
        token = v;
        return this;
    }
    /** The card number this attempt's card was tokenized from: its masked form and BIN as the tokenizer makes them. */
    public Attempt pan(String v) {
        pan = v;
        return this;
    }

    public Attempt merchant(String v) {
        merchant = v;
        return this;
    }

    public Attempt terminal(String v) {
        terminal = v;
        return this;
    }

    public Attempt amount(long v) {
        amount = v;
        return this;
    }

    public Attempt currency(String v) {
        currency = v;
        return this;
    }

    public Attempt country(String v) {
        country = v;
        return this;
    }

    public Attempt mcc(String v) {
        mcc = v;
        return this;
    }

    public Attempt entry(EntryMode v) {
        entryMode = v;
        return this;
    }

    public Attempt verification(CardholderVerification v) {
        verification = v;
        return this;
    }

    public Authorization auth() {
        CardOnFile card = new CardOnFile(
                token, fingerprint, CardTokenizer.mask(pan), CardTokenizer.bin(pan), "12/30", null, null);
        return new Authorization(
                merchant, terminal, amount, currency, card, entryMode, mcc, country, verification, CaptureMode.AUTO);
    }

    public Decision decide(RiskEngine engine, long nowMillis) {
        return engine.decide(auth(), nowMillis);
    }

    /** Settings from a rule-set document (members left out keep the built-in defaults). */
    public static RiskSettings settings(String json) {
        RuleSetDocument.Result r = RuleSetDocument.parse(json);
        if (r instanceof RuleSetDocument.Valid valid) return valid.settings();
        return fail("invalid test settings: " + r);
    }

    public static List<String> codes(Decision d) {
        return d.reasons().stream().map(Reason::code).toList();
    }

    /** The reasons with {@code code}, so a rule's message can be asserted exactly whatever else fired. */
    public static List<Reason> reasons(Decision d, String code) {
        return d.reasons().stream().filter(r -> r.code().equals(code)).toList();
    }
}
