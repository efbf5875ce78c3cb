package dev.payproc.risk.json;

import static dev.payproc.risk.json.JsonTree.object;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.payproc.core.port.RiskRules.Violation;
import dev.payproc.risk.Blocklist;
import dev.payproc.risk.RiskSettings;
import dev.payproc.risk.Thresholds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The rule set as a versioned JSON document (what {@code GET/PUT /admin/risk-rules} will carry): the
 * default thresholds at the top level next to {@code version}, then {@code blocklist} and {@code merchants}.
 * A top-level member left out keeps its built-in default; a merchant override names only what differs from
 * the document's defaults. Amounts by currency change one currency at a time at either level, and every
 * accepted currency must keep one ({@code null} dropping a currency is refused, naming it).
 * Rendering writes the defaults whole and each override as its difference, so parse(render(s)) equals s.
 */
public final class RuleSetDocument {
    /** The outcome of {@link #parse}: settings, or every problem found, each named by its JSON path. */
    public sealed interface Result permits Valid, Invalid {}

    public record Valid(RiskSettings settings) implements Result {}

    public record Invalid(List<Violation> errors) implements Result {}

    private RuleSetDocument() {}

    public static Result parse(String json) {
        Object tree;
        try {
            tree = JsonTree.parse(json);
        } catch (JsonProcessingException e) {
            // Location only: the parser's message may quote the input, and a blocklist may hold card data.
            JsonLocation at = e.getLocation();
            return new Invalid(List.of(new Violation(
                    null,
                    at == null
                            ? "malformed JSON"
                            : "malformed JSON at line " + at.getLineNr() + ", column " + at.getColumnNr())));
        } catch (IOException e) {
            return new Invalid(List.of(new Violation(null, "unreadable JSON")));
        }
        if (!(tree instanceof Map<?, ?> members)) {
            return new Invalid(List.of(new Violation(null, "the rule set must be a JSON object")));
        }
        List<Violation> errors = new ArrayList<>();
        JsonFields root = JsonFields.root(members, errors);
        if (!root.has("version")) errors.add(new Violation("version", "is required"));
        int version = root.integer("version", 0);
        Thresholds defaults = ThresholdsJson.read(root, Thresholds.defaults());
        Blocklist blocklist = blocklist(root.object("blocklist"));
        Map<String, Thresholds> merchants = new HashMap<>();
        JsonFields overrides = root.object("merchants");
        for (String id : overrides.names()) merchants.put(id, ThresholdsJson.read(overrides.object(id), defaults));
        root.rejectUnknown();
        // Value checks on what was read; a field that already failed its type check is not reported twice.
        for (Violation v : RiskSettings.violations(version, defaults, merchants, blocklist)) {
            if (errors.stream().noneMatch(e -> v.field().equals(e.field()))) errors.add(v);
        }
        return errors.isEmpty()
                ? new Valid(new RiskSettings(version, defaults, merchants, blocklist))
                : new Invalid(List.copyOf(errors));
    }

    public static String render(RiskSettings settings) {
        Map<String, Object> defaults = ThresholdsJson.tree(settings.thresholds());
        Map<String, Object> merchants = new TreeMap<>();
        settings.merchants().forEach((id, t) -> merchants.put(id, JsonTree.diff(ThresholdsJson.tree(t), defaults)));
        Map<String, Object> doc = object("version", settings.version());
        doc.putAll(defaults);
        doc.put("blocklist", blocklist(settings.blocklist()));
        doc.put("merchants", merchants);
        return JsonTree.write(doc);
    }

    private static Blocklist blocklist(JsonFields f) {
        return new Blocklist(
                f.strings("cardTokens"),
                f.strings("cardFingerprints"),
                f.strings("bins"),
                f.strings("merchantIds"),
                f.strings("merchantCountries"),
                f.strings("mccs"));
    }

    private static Map<String, Object> blocklist(Blocklist b) {
        return object(
                "cardTokens",
                sorted(b.cardTokens()),
                "cardFingerprints",
                sorted(b.cardFingerprints()),
                "bins",
                sorted(b.bins()),
                "merchantIds",
                sorted(b.merchantIds()),
                "merchantCountries",
                sorted(b.merchantCountries()),
                "mccs",
                sorted(b.mccs()));
    }

    private static List<String> sorted(Set<String> entries) {
        return entries.stream().sorted().toList();
    }
}
