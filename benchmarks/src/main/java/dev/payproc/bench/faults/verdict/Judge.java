package dev.payproc.bench.faults.verdict;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The verdicts of scripts/faults.sh, one scenario a call; the script controls the processes and measures what only
 * it can (restarts, exit status), this decides.
 * <pre>
 *   crash number=N load=FILE retry=FILE audit=FILE recovery_ms=MS failed_starts=N
 *   db_outage load=FILE retry=FILE audit=FILE survived=0|1 heap_bound_mb=MB
 *   overload load=FILE audit=FILE limit=N heap_bound_mb=MB
 *   slow_db load=FILE offered=FILE audit=FILE survived=0|1 slow_db_ms=MS heap_bound_mb=MB
 *   shutdown load=FILE audit=FILE exit_status=N exit_ms=MS
 *   start_ups failed=N starts=N
 *   background_rate load=FILE      the background load of the scenarios: half the calibrated goodput, at least 50/s
 *   slow_db_rate fast_rate=R writers=N batch_cap=N slow_db_ms=MS [fraction=F]
 *                                  the slow-database scenario's load ({@link SlowDatabaseLoad}): prints its
 *                                  {@code RESULT k=v ...} line (slow_db_rate=, the rate) and then the formula
 * </pre>
 * FILE: the driver's output, the audit's or slow_db_rate's, each with one {@code RESULT k=v ...} line. Prints the verdict line;
 * exits 0 on PASS, 1 on FAIL, 2 when the figures are missing or unreadable (the scenario could not be judged).
 */
public final class Judge {
    private static final long LEAST_BACKGROUND_RATE = 50;

    private final Figures args;

    private Judge(Figures args) {
        this.args = args;
    }

    public static void main(String[] argv) {
        System.exit(run(argv, System.out, System.err));
    }

    /** The exit status: 0 PASS, 1 FAIL, 2 could not judge. */
    static int run(String[] argv, PrintStream out, PrintStream err) {
        Map<String, String> args = new HashMap<>();
        for (int i = 1; i < argv.length; i++) {
            int eq = argv[i].indexOf('=');
            if (eq > 0) args.put(argv[i].substring(0, eq), argv[i].substring(eq + 1));
        }
        try {
            Judge judge = new Judge(Figures.of(args));
            String command = argv.length > 0 ? argv[0] : "";
            if (command.equals("background_rate")) {
                out.println(backgroundRate(judge.load()));
                return 0;
            }
            if (command.equals("slow_db_rate")) {
                SlowDatabaseLoad offered = judge.slowDatabaseLoad();
                out.println("RESULT " + offered.line());
                out.println(offered.describe());
                return 0;
            }
            Verdict verdict = judge.judge(command);
            out.println(verdict.line());
            return verdict.passed() ? 0 : 1;
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println("Judge: cannot judge: " + e.getMessage());
            return 2;
        }
    }

    static long backgroundRate(LoadFigures calibration) {
        return Math.max(calibration.outcomes().goodput() / 2, LEAST_BACKGROUND_RATE);
    }

    /** From the arguments, the fraction {@link SlowDatabaseLoad#DEFAULT_FRACTION} unless given. */
    private SlowDatabaseLoad slowDatabaseLoad() {
        return new SlowDatabaseLoad(
                args.count("fast_rate"),
                args.count("writers"),
                args.count("batch_cap"),
                args.count("slow_db_ms"),
                args.has("fraction") ? args.number("fraction") : SlowDatabaseLoad.DEFAULT_FRACTION);
    }

    private Verdict judge(String scenario) {
        return switch (scenario) {
            case "crash" ->
                CrashVerdict.judge(
                        (int) args.count("number"),
                        load(),
                        retry(),
                        audit(),
                        args.count("recovery_ms"),
                        args.count("failed_starts"));
            case "db_outage" ->
                DatabaseOutageVerdict.judge(
                        load(), retry(), audit(), args.count("survived") != 0, args.count("heap_bound_mb"));
            case "overload" -> OverloadVerdict.judge(load(), audit(), args.count("limit"), args.count("heap_bound_mb"));
            case "slow_db" ->
                SlowDatabaseVerdict.judge(
                        load(),
                        audit(),
                        SlowDatabaseLoad.parse(Figures.read(file("offered"))),
                        args.count("survived") != 0,
                        args.count("slow_db_ms"),
                        args.count("heap_bound_mb"));
            case "shutdown" ->
                ShutdownVerdict.judge(load(), audit(), (int) args.count("exit_status"), args.count("exit_ms"));
            case "start_ups" -> StartUpsVerdict.judge(args.count("failed"), args.count("starts"));
            default -> throw new IllegalArgumentException("no scenario '" + scenario + "' (see the class comment)");
        };
    }

    private LoadFigures load() {
        return LoadFigures.parse(Figures.read(file("load")));
    }

    private RetryFigures retry() {
        return RetryFigures.parse(Figures.read(file("retry")));
    }

    private AuditFigures audit() {
        return AuditFigures.parse(Figures.read(file("audit")));
    }

    private Path file(String name) {
        return Path.of(args.text(name));
    }
}
