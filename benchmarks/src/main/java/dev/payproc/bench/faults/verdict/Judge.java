package dev.payproc.bench.faults.verdict;

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
 *   slow_db load=FILE audit=FILE survived=0|1 slow_db_ms=MS heap_bound_mb=MB
 *   shutdown load=FILE audit=FILE exit_status=N exit_ms=MS
 *   start_ups failed=N starts=N
 *   background_rate load=FILE      the background load of the scenarios: half the calibrated goodput, at least 50/s
 * </pre>
 * FILE: the driver's output or the audit's, each with one {@code RESULT k=v ...} line. Prints the verdict line;
 * exits 0 on PASS, 1 on FAIL, 2 when the figures are missing or unreadable (the scenario could not be judged).
 */
public final class Judge {
    private static final long LEAST_BACKGROUND_RATE = 50;

    private final Map<String, String> args;

    private Judge(Map<String, String> args) {
        this.args = args;
    }

    public static void main(String[] argv) {
        Map<String, String> args = new HashMap<>();
        for (int i = 1; i < argv.length; i++) {
            int eq = argv[i].indexOf('=');
            if (eq > 0) args.put(argv[i].substring(0, eq), argv[i].substring(eq + 1));
        }
        try {
            Judge judge = new Judge(args);
            String command = argv.length > 0 ? argv[0] : "";
            if (command.equals("background_rate")) {
                System.out.println(backgroundRate(judge.load()));
                return;
            }
            Verdict verdict = judge.judge(command);
            System.out.println(verdict.line());
            System.exit(verdict.passed() ? 0 : 1);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println("Judge: cannot judge: " + e.getMessage());
            System.exit(2);
        }
    }

    static long backgroundRate(LoadFigures calibration) {
        return Math.max(calibration.outcomes().goodput() / 2, LEAST_BACKGROUND_RATE);
    }

    private Verdict judge(String scenario) {
        return switch (scenario) {
            case "crash" -> CrashVerdict.judge((int) count("number"), load(), retry(), audit(), count("recovery_ms"), count("failed_starts"));
            case "db_outage" -> DatabaseOutageVerdict.judge(load(), retry(), audit(), flag("survived"), count("heap_bound_mb"));
            case "overload" -> OverloadVerdict.judge(load(), audit(), count("limit"), count("heap_bound_mb"));
            case "slow_db" -> SlowDatabaseVerdict.judge(load(), audit(), flag("survived"), count("slow_db_ms"), count("heap_bound_mb"));
            case "shutdown" -> ShutdownVerdict.judge(load(), audit(), (int) count("exit_status"), count("exit_ms"));
            case "start_ups" -> StartUpsVerdict.judge(count("failed"), count("starts"));
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
        String path = args.get(name);
        if (path == null) throw new IllegalArgumentException("no " + name + "=FILE");
        return Path.of(path);
    }

    private long count(String name) {
        return Figures.parse(name + "=" + args.getOrDefault(name, "")).count(name);
    }

    private boolean flag(String name) {
        return count(name) != 0;
    }
}
