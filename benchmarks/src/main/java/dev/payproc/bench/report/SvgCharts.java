package dev.payproc.bench.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/** A {@link Chart} as an {@code <svg>} element to inline into HTML: text stays text, and a report stays a few dozen KB. */
public final class SvgCharts {
    private static final int WIDTH = 960;
    private static final int LEFT = 84;
    private static final int TOP = 44;
    private static final int PLOT_HEIGHT = 380;
    private static final int LEGEND_ROW = 18;
    private static final String GRID = "#e4e4e4";

    private SvgCharts() {}

    /** An axis' mapping from values to pixels, and where its ticks go. */
    private record Scale(
            boolean log,
            double lo,
            double hi,
            double from,
            double to,
            List<Double> ticks,
            DoubleFunction<String> labels) {
        double px(double v) {
            double t = log ? Math.log10(v / lo) / Math.log10(hi / lo) : (v - lo) / (hi - lo);
            return from + t * (to - from);
        }
    }

    public static String render(Chart c) {
        int right = WIDTH - (c.y2() == null ? 24 : LEFT);
        int bottom = TOP + PLOT_HEIGHT;
        int height = bottom + 58 + LEGEND_ROW * c.lines().size();
        Scale x = scale(c.x(), values(c, true, false), LEFT, right);
        Scale y = scale(c.y(), values(c, false, false), bottom, TOP);
        Scale y2 = c.y2() == null ? null : scale(c.y2(), values(c, false, true), bottom, TOP);
        StringBuilder s = new StringBuilder(16_384);
        s.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
                        + "font-family=\"sans-serif\" font-size=\"12\" role=\"img\"><title>%s</title>",
                WIDTH,
                height,
                WIDTH,
                height,
                esc(c.title())));
        text(s, WIDTH / 2.0, 24, "middle", "font-size=\"15\" font-weight=\"bold\"", c.title());
        for (double t : x.ticks()) {
            line(s, x.px(t), TOP, x.px(t), bottom, GRID, 1);
            text(s, x.px(t), bottom + 17, "middle", "", x.labels().apply(t));
        }
        for (double t : y.ticks()) {
            line(s, LEFT, y.px(t), right, y.px(t), GRID, 1);
            text(s, LEFT - 6, y.px(t) + 4, "end", "", y.labels().apply(t));
        }
        if (y2 != null)
            for (double t : y2.ticks())
                text(s, right + 6, y2.px(t) + 4, "start", "", y2.labels().apply(t));
        line(s, LEFT, bottom, right, bottom, "#888", 1);
        line(s, LEFT, TOP, LEFT, bottom, "#888", 1);
        text(s, (LEFT + right) / 2.0, bottom + 38, "middle", "font-weight=\"bold\"", c.x().title());
        text(s, 0, 0, "middle", rotated(20, (TOP + bottom) / 2.0) + " font-weight=\"bold\"", c.y().title());
        if (y2 != null)
            text(
                    s,
                    0,
                    0,
                    "middle",
                    rotated(WIDTH - 14, (TOP + bottom) / 2.0) + " font-weight=\"bold\"",
                    c.y2().title());
        for (int i = 0; i < c.lines().size(); i++) {
            Chart.Line l = c.lines().get(i);
            Scale ly = l.right() ? y2 : y;
            String color = Chart.PALETTE[i % Chart.PALETTE.length];
            s.append("<polyline fill=\"none\" stroke-width=\"1.8\" stroke-linejoin=\"round\" stroke=\"")
                    .append(color)
                    .append("\" points=\"");
            for (int k = 0; k < l.x().length; k++) {
                if (plottable(x, l.x()[k]) && plottable(ly, l.y()[k])) {
                    s.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.px(l.x()[k]), ly.px(l.y()[k])));
                }
            }
            String name = l.name().replace("\n", ": ");
            s.append("\"><title>").append(esc(name)).append("</title></polyline>");
            double row = bottom + 64 + LEGEND_ROW * i;
            line(s, LEFT, row - 4, LEFT + 26, row - 4, color, 3);
            text(s, LEFT + 32, row, "start", "", name);
        }
        return s.append("</svg>").toString();
    }

    /** Log axes span whole decades (with 2 and 5 between when there are few); linear ones start at 0 in steps of 1, 2 or 5. */
    private static Scale scale(Chart.Axis axis, DoubleSummaryStatistics v, double from, double to) {
        double min = v.getCount() == 0 ? 1 : v.getMin();
        double max = v.getCount() == 0 ? 1 : v.getMax();
        List<Double> ticks = new ArrayList<>();
        if (axis.log()) {
            int lo = (int) Math.floor(Math.log10(min));
            int hi = Math.max(lo + 1, (int) Math.ceil(Math.log10(max)));
            for (int k = lo; k <= hi; k++) {
                ticks.add(Math.pow(10, k));
                if (hi - lo <= 2 && k < hi) ticks.addAll(List.of(2 * Math.pow(10, k), 5 * Math.pow(10, k)));
            }
            return new Scale(true, Math.pow(10, lo), Math.pow(10, hi), from, to, ticks, axis.labels());
        }
        double lo = Math.min(0, min);
        double step = nice((max - lo) / 5);
        int steps = Math.max(1, (int) Math.ceil((max - lo) / step - 1e-9));
        for (int i = 0; i <= steps; i++) ticks.add(lo + i * step);
        return new Scale(false, lo, lo + steps * step, from, to, ticks, axis.labels());
    }

    private static double nice(double raw) {
        if (!(raw > 0)) return 1;
        double decade = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / decade;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * decade;
    }

    /** The values one axis shows: x of every line, or y of the lines on the left (or right) axis. */
    private static DoubleSummaryStatistics values(Chart c, boolean x, boolean right) {
        boolean log = (x ? c.x() : right ? c.y2() : c.y()).log();
        return c.lines().stream()
                .filter(l -> x || l.right() == right)
                .flatMapToDouble(l -> Arrays.stream(x ? l.x() : l.y()))
                .filter(v -> Double.isFinite(v) && (!log || v > 0))
                .summaryStatistics();
    }

    private static boolean plottable(Scale scale, double v) {
        return Double.isFinite(v) && (!scale.log() || v > 0);
    }

    private static String rotated(double x, double y) {
        return String.format(Locale.ROOT, "transform=\"translate(%.1f,%.1f) rotate(-90)\"", x, y);
    }

    private static void line(StringBuilder s, double x1, double y1, double x2, double y2, String color, double width) {
        s.append(String.format(
                Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"/>",
                x1,
                y1,
                x2,
                y2,
                color,
                width));
    }

    private static void text(StringBuilder s, double x, double y, String anchor, String attributes, String text) {
        s.append(String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" %s>%s</text>",
                x,
                y,
                anchor,
                attributes,
                esc(text)));
    }

    private static String esc(String s) {
        return HtmlReport.esc(s);
    }
}
