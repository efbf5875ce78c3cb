package dev.payproc.bench.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * What a chart shows, independent of how it is drawn: {@link PngCharts} renders it with XChart, {@link SvgCharts}
 * as inline SVG for the HTML, so the two never disagree. {@code y2} (a right-hand axis) may be null.
 */
public record Chart(String title, Axis x, Axis y, Axis y2, List<Line> lines) {
    /** Series colours, in order, for both renderers. */
    static final String[] PALETTE = {"#4c78a8", "#e45756", "#9d5fc7", "#f58518", "#54a24b", "#72b7b2"};

    public record Axis(String title, boolean log, DoubleFunction<String> labels) {
        Axis(String title, boolean log) {
            this(title, log, Chart::number);
        }
    }

    /** One series; its name may have a second line after a {@code \n}; {@code right}: plotted against {@code y2}. */
    public record Line(String name, double[] x, double[] y, boolean right) {}

    /** 3 significant digits, thousands grouped: tick labels that stay short. */
    static String number(double v) {
        if (Math.abs(v) >= 1000) return String.format(Locale.ROOT, "%,.0f", v);
        return v == 0
                ? "0"
                : new BigDecimal(v)
                        .round(new MathContext(3))
                        .stripTrailingZeros()
                        .toPlainString();
    }
}
