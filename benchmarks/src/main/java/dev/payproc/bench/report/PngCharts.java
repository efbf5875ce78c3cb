package dev.payproc.bench.report;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** A {@link Chart} as a PNG file, drawn by XChart. */
public final class PngCharts {
    static {
        System.setProperty(
                "java.awt.headless", "true"); // before AWT starts: the harness runs on machines without a display
    }

    private PngCharts() {}

    public static void write(Chart chart, Path file) throws IOException {
        XYChart c = new XYChartBuilder()
                .width(960)
                .height(540)
                .title(chart.title())
                .xAxisTitle(chart.x().title())
                .yAxisTitle(chart.y().title())
                .build();
        XYStyler style = c.getStyler();
        style.setChartBackgroundColor(Color.WHITE)
                .setLegendBorderColor(Color.LIGHT_GRAY)
                .setPlotBorderVisible(false);
        style.setSeriesColors(Arrays.stream(Chart.PALETTE).map(Color::decode).toArray(Color[]::new));
        style.setPlotGridLinesColor(new Color(225, 225, 225));
        style.setXAxisLogarithmic(chart.x().log())
                .setYAxisLogarithmic(chart.y().log())
                .setYAxisLogarithmicDecadeOnly(false);
        style.setXAxisTickLabelsFormattingFunction(chart.x().labels()::apply);
        // A log axis gets a tick at every 1..9 x 10^k; labelling only 1, 2 and 5 keeps them apart.
        if (chart.y().log())
            style.setYAxisTickLabelsFormattingFunction(
                    v -> oneTwoFive(v) ? chart.y().labels().apply(v) : "");
        style.setLegendPosition(Styler.LegendPosition.OutsideS); // inside the plot, XChart cuts long names short
        if (chart.y2() != null) {
            c.setYAxisGroupTitle(1, chart.y2().title());
            style.setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
            style.setYAxisMin(1, 0.0);
        }
        if (!chart.y().log()) style.setYAxisMin(0, 0.0);
        for (Chart.Line line : chart.lines()) {
            XYSeries s = c.addSeries(line.name(), line.x(), line.y());
            s.setMarker(SeriesMarkers.NONE);
            if (line.right()) s.setYAxisGroup(1);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(c, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    private static boolean oneTwoFive(double v) {
        long mantissa = Math.round(v / Math.pow(10, Math.floor(Math.log10(v) + 1e-9)));
        return mantissa == 1 || mantissa == 2 || mantissa == 5 || mantissa == 10;
    }
}
