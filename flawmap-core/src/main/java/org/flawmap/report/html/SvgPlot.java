package org.flawmap.report.html;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as inline SVG: axes with ticks and labels, one polyline per series, and labelled
 * vertical markers (the estimators' thresholds). Coordinates are SVG user units, one per CSS
 * pixel at the chart's natural size.
 */
final class SvgPlot {

  static final String SVG_NAMESPACE = "http://www.w3.org/2000/svg";

  private static final int WIDTH = 400;
  private static final int HEIGHT = 310;
  private static final int LEFT = 56;
  private static final int RIGHT = 14;
  private static final int TOP = 46;
  private static final int BOTTOM = 44;
  private static final int TICK_TARGET = 5;
  private static final double MIN_STEP = 0.5;

  private record Series(String name, String colour, List<Double> x, List<Double> y, boolean dash) {}

  private record Marker(String label, double x, String colour) {}

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();
  private final List<Marker> markers = new ArrayList<>();
  private double xMin = 0;
  private double xMax = 1;
  private double yMin = 0;
  private double yMax = 1;

  SvgPlot(String title, String xLabel, String yLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  /** Sets the x axis range. An empty range becomes one unit wide, a non-finite one [0, 1]. */
  SvgPlot xRange(double min, double max) {
    double[] range = widen(min, max);
    xMin = range[0];
    xMax = range[1];
    return this;
  }

  SvgPlot yRange(double min, double max) {
    double[] range = widen(min, max);
    yMin = range[0];
    yMax = range[1];
    return this;
  }

  /** Adds a line through ({@code x[i]}, {@code y[i]}), broken at null or non-finite values. */
  SvgPlot series(String name, String colour, List<Double> x, List<Double> y, boolean dash) {
    series.add(new Series(name, colour, x, y, dash));
    return this;
  }

  /** Adds a labelled vertical line at {@code x}, drawn at the edge when outside the x range. */
  SvgPlot marker(String label, double x, String colour) {
    markers.add(new Marker(label, x, colour));
    return this;
  }

  void writeTo(Html html) {
    html.open("svg", "class", "plot", "xmlns", SVG_NAMESPACE, "role", "img",
        "viewBox", "0 0 " + WIDTH + " " + HEIGHT, "width", Integer.toString(WIDTH),
        "height", Integer.toString(HEIGHT));
    html.element("title", title);
    html.element("text", title, "x", Integer.toString(WIDTH / 2), "y", "16",
        "text-anchor", "middle", "class", "plot-title");
    writeAxes(html);
    writeLegend(html);
    for (Series s : series) {
      writeSeries(html, s);
    }
    writeMarkers(html);
    html.close("svg").newline();
  }

  private void writeAxes(Html html) {
    int bottom = HEIGHT - BOTTOM;
    int right = WIDTH - RIGHT;
    html.empty("rect", "x", Integer.toString(LEFT), "y", Integer.toString(TOP),
        "width", Integer.toString(right - LEFT), "height", Integer.toString(bottom - TOP),
        "class", "plot-area");
    for (double t : ticks(xMin, xMax)) {
      String x = coordinate(screenX(t));
      html.empty("line", "x1", x, "x2", x, "y1", Integer.toString(TOP),
          "y2", Integer.toString(bottom + 4), "class", "grid");
      html.element("text", tickLabel(t, xMin, xMax), "x", x, "y", Integer.toString(bottom + 16),
          "text-anchor", "middle", "class", "tick");
    }
    for (double t : ticks(yMin, yMax)) {
      String y = coordinate(screenY(t));
      html.empty("line", "x1", Integer.toString(LEFT - 4), "x2", Integer.toString(right),
          "y1", y, "y2", y, "class", "grid");
      html.element("text", tickLabel(t, yMin, yMax), "x", Integer.toString(LEFT - 7),
          "y", coordinate(screenY(t) + 4), "text-anchor", "end", "class", "tick");
    }
    html.element("text", xLabel, "x", Integer.toString((LEFT + right) / 2),
        "y", Integer.toString(HEIGHT - 8), "text-anchor", "middle", "class", "axis-label");
    int middle = (TOP + bottom) / 2;
    html.element("text", yLabel, "x", "14", "y", Integer.toString(middle),
        "text-anchor", "middle", "class", "axis-label",
        "transform", "rotate(-90 14 " + middle + ")");
  }

  private void writeLegend(Html html) {
    double x = LEFT;
    for (Series s : series) {
      html.empty("line", "x1", coordinate(x), "x2", coordinate(x + 18), "y1", "33", "y2", "33",
          "stroke", s.colour(), "stroke-width", "2.5",
          "stroke-dasharray", s.dash() ? "5 3" : null);
      html.element("text", s.name(), "x", coordinate(x + 22), "y", "37", "class", "legend");
      x += 34 + 6.5 * s.name().length();
    }
  }

  private void writeSeries(Html html, Series s) {
    List<double[]> segment = new ArrayList<>();
    int n = Math.min(s.x().size(), s.y().size());
    for (int i = 0; i <= n; i++) {
      Double x = i < n ? s.x().get(i) : null;
      Double y = i < n ? s.y().get(i) : null;
      if (x == null || y == null || !Double.isFinite(x) || !Double.isFinite(y)) {
        writePolyline(html, s, segment);
        segment.clear();
        continue;
      }
      segment.add(new double[] {
        clamp(screenX(x), LEFT, WIDTH - RIGHT), clamp(screenY(y), TOP, HEIGHT - BOTTOM)
      });
    }
  }

  /**
   * Writes one unbroken part of a series. A point less than {@link #MIN_STEP} pixels from the
   * last one kept in both directions adds nothing visible, so it is dropped, except the last
   * point. That bounds a curve to about (plot width + height) / MIN_STEP points, however many
   * bins it has.
   */
  private static void writePolyline(Html html, Series s, List<double[]> segment) {
    if (segment.isEmpty()) {
      return;
    }
    StringBuilder points = new StringBuilder();
    double[] lastKept = null;
    for (int i = 0; i < segment.size(); i++) {
      double[] p = segment.get(i);
      boolean last = i == segment.size() - 1;
      if (lastKept == null || last || Math.abs(p[0] - lastKept[0]) >= MIN_STEP
          || Math.abs(p[1] - lastKept[1]) >= MIN_STEP) {
        String point = coordinate(p[0]) + "," + coordinate(p[1]);
        String previous =
            lastKept == null ? null : coordinate(lastKept[0]) + "," + coordinate(lastKept[1]);
        if (!point.equals(previous)) {
          points.append(points.length() == 0 ? "" : " ").append(point);
        }
        lastKept = p;
      }
    }
    html.empty("polyline", "points", points.toString(), "fill", "none", "stroke", s.colour(),
        "stroke-width", "2", "stroke-dasharray", s.dash() ? "5 3" : null);
  }

  private void writeMarkers(Html html) {
    int bottom = HEIGHT - BOTTOM;
    int right = WIDTH - RIGHT;
    for (int k = 0; k < markers.size(); k++) {
      Marker m = markers.get(k);
      boolean offScale = m.x() < xMin || m.x() > xMax;
      double x = clamp(screenX(m.x()), LEFT, right);
      String label = m.label() + (offScale ? " (off scale)" : "");
      html.empty("line", "x1", coordinate(x), "x2", coordinate(x), "y1", Integer.toString(TOP),
          "y2", Integer.toString(bottom), "stroke", m.colour(), "stroke-width", "1.5",
          "stroke-dasharray", "3 2");
      // Labels are stacked one line apart so that close thresholds stay readable. Labels right
      // of the middle end at their line, which keeps them inside the chart.
      boolean alignEnd = x > (LEFT + right) / 2.0;
      html.element("text", label, "x", coordinate(alignEnd ? x - 3 : x + 3),
          "y", Integer.toString(TOP + 12 + 12 * k), "text-anchor", alignEnd ? "end" : "start",
          "fill", m.colour(), "class", "marker-label");
    }
  }

  private double screenX(double x) {
    return LEFT + (x - xMin) / (xMax - xMin) * (WIDTH - LEFT - RIGHT);
  }

  private double screenY(double y) {
    return HEIGHT - BOTTOM - (y - yMin) / (yMax - yMin) * (HEIGHT - TOP - BOTTOM);
  }

  private static double clamp(double v, double min, double max) {
    return Math.max(min, Math.min(max, v));
  }

  private static String coordinate(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static double[] widen(double min, double max) {
    if (!Double.isFinite(min) || !Double.isFinite(max)) {
      return new double[] {0, 1};
    }
    if (max <= min) {
      return new double[] {min - 0.5, min + 0.5};
    }
    return new double[] {min, max};
  }

  /** Returns tick positions at multiples of 1, 2 or 5 × 10^k, about five across the range. */
  static List<Double> ticks(double min, double max) {
    double step = tickStep(min, max);
    List<Double> ticks = new ArrayList<>();
    double first = Math.ceil(min / step - 1e-9) * step;
    for (int i = 0; first + i * step <= max + step * 1e-9; i++) {
      double t = first + i * step;
      ticks.add(Math.abs(t) < step * 1e-9 ? 0.0 : t);
    }
    return ticks;
  }

  private static double tickStep(double min, double max) {
    double raw = (max - min) / TICK_TARGET;
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double fraction = raw / magnitude;
    if (fraction < 1.5) {
      return magnitude;
    }
    if (fraction < 3.5) {
      return 2 * magnitude;
    }
    if (fraction < 7.5) {
      return 5 * magnitude;
    }
    return 10 * magnitude;
  }

  private static String tickLabel(double t, double min, double max) {
    int decimals = (int) Math.max(0, -Math.floor(Math.log10(tickStep(min, max)) + 1e-9));
    return String.format(Locale.ROOT, "%." + decimals + "f", t);
  }
}
