package org.streamtagger.trainer.tagger;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The pictures of a training run, drawn with JFreeChart: curves per epoch and a confusion map. */
public final class TrainingCharts {
  public static final String CURVES_FILE = "training.png";
  public static final String CONFUSION_FILE = "confusion-dev.png";

  private TrainingCharts() {}

  /** Training loss (top) and dev accuracy (bottom) per epoch, best epoch marked by the title. */
  public static void curves(Path file, String title, List<Trainer.Epoch> epochs)
      throws IOException {
    XYSeries loss = new XYSeries("training loss");
    XYSeries dev = new XYSeries("dev accuracy (%)");
    XYSeries oov = new XYSeries("dev accuracy on unseen words (%)");
    for (Trainer.Epoch e : epochs) {
      loss.add(e.epoch(), e.loss());
      if (!Double.isNaN(e.devAccuracy())) {
        dev.add(e.epoch(), 100 * e.devAccuracy());
        oov.add(e.epoch(), 100 * e.devOovAccuracy());
      }
    }
    NumberAxis epochAxis = new NumberAxis("epoch");
    epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochAxis);
    plot.add(linePlot(new XYSeriesCollection(loss), "loss", false), 1);
    XYSeriesCollection acc = new XYSeriesCollection(dev);
    acc.addSeries(oov);
    plot.add(linePlot(acc, "accuracy (%)", true), 1);
    JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 14), plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 650);
  }

  /** A heat map of gold (rows) against predicted (columns) tags, as row-normalised shares. */
  public static void confusion(Path file, String title, Evaluation eval) throws IOException {
    List<String> tags = eval.tags();
    int k = tags.size();
    double[][] series = new double[3][k * k];
    int i = 0;
    for (int g = 0; g < k; g++) {
      long row = 0;
      for (int p = 0; p < k; p++) {
        row += eval.confusion()[g][p];
      }
      for (int p = 0; p < k; p++) {
        series[0][i] = p;
        series[1][i] = k - 1 - g; // first gold tag at the top
        series[2][i] = row == 0 ? 0 : (double) eval.confusion()[g][p] / row;
        i++;
      }
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("share", series);
    String[] reversed = new String[k];
    for (int g = 0; g < k; g++) {
      reversed[k - 1 - g] = tags.get(g);
    }
    SymbolAxis x = new SymbolAxis("predicted", tags.toArray(new String[0]));
    x.setVerticalTickLabels(true);
    SymbolAxis y = new SymbolAxis("gold", reversed);
    LookupPaintScale scale = new LookupPaintScale(0, 1.0001, Color.WHITE);
    double[] steps = {0, 0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 0.8, 0.9, 0.95};
    for (int s = 0; s < steps.length; s++) {
      float shade = 1f - (float) s / steps.length;
      scale.add(steps[s], new Color(shade, shade, 1f));
    }
    XYBlockRenderer renderer = new XYBlockRenderer();
    renderer.setPaintScale(scale);
    XYPlot plot = new XYPlot(data, x, y, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 14), plot, false);
    NumberAxis legendAxis = new NumberAxis("share of the gold tag's tokens");
    PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
    legend.setPosition(RectangleEdge.RIGHT);
    chart.addSubtitle(legend);
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(file.toFile(), chart, 800, 750);
  }

  private static XYPlot linePlot(XYSeriesCollection data, String label, boolean autoRange) {
    NumberAxis axis = new NumberAxis(label);
    axis.setAutoRangeIncludesZero(!autoRange);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    for (int s = 0; s < data.getSeriesCount(); s++) {
      r.setSeriesStroke(s, new BasicStroke(2f));
    }
    XYPlot plot = new XYPlot(data, null, axis, r);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    return plot;
  }
}
