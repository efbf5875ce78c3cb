package dev.payproc.risk.json;

import static dev.payproc.risk.json.JsonTree.object;

import dev.payproc.risk.Thresholds;
import java.util.Map;
import java.util.TreeMap;

/** The JSON shape of {@link Thresholds}: read over a base (absent members keep it), and written whole. */
final class ThresholdsJson {
    private ThresholdsJson() {}

    /**
     * Reads thresholds from {@code f}; a member it lacks keeps {@code base}'s value, and currency maps change the
     * base one currency at a time, at the top level (over the built-in defaults) as in a merchant override: a map
     * naming only EUR must not leave the other currencies without a limit.
     */
    static Thresholds read(JsonFields f, Thresholds base) {
        JsonFields daily = f.object("daily");
        JsonFields velocity = f.object("velocity");
        JsonFields travel = f.object("impossibleTravel");
        JsonFields anomaly = f.object("amountAnomaly");
        JsonFields structuring = f.object("structuring");
        JsonFields bands = f.object("scoreBands");
        Thresholds.Daily d = base.daily();
        Thresholds.Anomaly a = base.amountAnomaly();
        Thresholds.Structuring s = base.structuring();
        return new Thresholds(
                f.amounts("amountLimit", base.amountLimit()),
                new Thresholds.Daily(
                        daily.integer("windowSeconds", d.windowSeconds()),
                        daily.integer("cardCount", d.cardCount()),
                        daily.amounts("cardAmount", d.cardAmount())),
                new Thresholds.Velocity(
                        window(velocity.object("card"), base.velocity().card()),
                        window(velocity.object("terminal"), base.velocity().terminal()),
                        window(velocity.object("merchant"), base.velocity().merchant())),
                new Thresholds.Travel(
                        travel.integer("windowSeconds", base.impossibleTravel().windowSeconds())),
                new Thresholds.Anomaly(
                        anomaly.number("alpha", a.alpha()),
                        anomaly.integer("minHistory", a.minHistory()),
                        anomaly.number("zScore", a.zScore()),
                        anomaly.integer("minStdDevPercent", a.minStdDevPercent()),
                        anomaly.amounts("firstSeenLarge", a.firstSeenLarge()),
                        anomaly.integer("firstSeenPoints", a.firstSeenPoints())),
                f.amounts("stepUp", base.stepUp()),
                new Thresholds.Structuring(
                        structuring.integer("count", s.count()),
                        structuring.integer("bandPercent", s.bandPercent()),
                        structuring.integer("windowSeconds", s.windowSeconds())),
                f.amounts("largeValue", base.largeValue()),
                new Thresholds.ScoreBands(
                        bands.integer("review", base.scoreBands().review()),
                        bands.integer("decline", base.scoreBands().decline())));
    }

    private static Thresholds.Window window(JsonFields f, Thresholds.Window base) {
        return new Thresholds.Window(
                f.integer("limit", base.limit()), f.integer("windowSeconds", base.windowSeconds()));
    }

    static Map<String, Object> tree(Thresholds t) {
        Thresholds.Daily d = t.daily();
        Thresholds.Anomaly a = t.amountAnomaly();
        Thresholds.Structuring s = t.structuring();
        return object(
                "amountLimit", new TreeMap<>(t.amountLimit()),
                "daily",
                        object(
                                "windowSeconds",
                                d.windowSeconds(),
                                "cardCount",
                                d.cardCount(),
                                "cardAmount",
                                new TreeMap<>(d.cardAmount())),
                "velocity",
                        object(
                                "card",
                                tree(t.velocity().card()),
                                "terminal",
                                tree(t.velocity().terminal()),
                                "merchant",
                                tree(t.velocity().merchant())),
                "impossibleTravel", object("windowSeconds", t.impossibleTravel().windowSeconds()),
                "amountAnomaly",
                        object(
                                "alpha",
                                a.alpha(),
                                "minHistory",
                                a.minHistory(),
                                "zScore",
                                a.zScore(),
                                "minStdDevPercent",
                                a.minStdDevPercent(),
                                "firstSeenLarge",
                                new TreeMap<>(a.firstSeenLarge()),
                                "firstSeenPoints",
                                a.firstSeenPoints()),
                "stepUp", new TreeMap<>(t.stepUp()),
                "structuring",
                        object("count", s.count(), "bandPercent", s.bandPercent(), "windowSeconds", s.windowSeconds()),
                "largeValue", new TreeMap<>(t.largeValue()),
                "scoreBands",
                        object(
                                "review",
                                t.scoreBands().review(),
                                "decline",
                                t.scoreBands().decline()));
    }

    private static Map<String, Object> tree(Thresholds.Window w) {
        return object("limit", w.limit(), "windowSeconds", w.windowSeconds());
    }
}
