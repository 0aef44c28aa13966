package org.flawmap.report.html;

import java.util.List;

/**
 * Mean and sample standard deviation (n − 1 in the denominator) of the finite values of a list,
 * for figures repeated over seeds. {@code std} is NaN when fewer than two values are finite.
 */
record Spread(double mean, double std, int n) {

  static Spread of(List<Double> values) {
    double sum = 0;
    int n = 0;
    for (Double v : values) {
      if (v != null && Double.isFinite(v)) {
        sum += v;
        n++;
      }
    }
    if (n == 0) {
      return new Spread(Double.NaN, Double.NaN, 0);
    }
    double mean = sum / n;
    double squares = 0;
    for (Double v : values) {
      if (v != null && Double.isFinite(v)) {
        squares += (v - mean) * (v - mean);
      }
    }
    double std = n < 2 ? Double.NaN : Math.sqrt(squares / (n - 1));
    return new Spread(mean, std, n);
  }

  /** Returns "mean ± std" with {@code decimals} decimals, or only the mean for one value. */
  String format(int decimals) {
    String text = Html.fixed(mean, decimals);
    return n < 2 ? text : text + " ± " + Html.fixed(std, decimals);
  }

  /** Writes a table cell with {@link #format}, or "n/a" with {@code reason} when n is 0. */
  void writeCell(Html html, int decimals, String title, boolean best, String reason) {
    if (n == 0) {
      html.open("td");
      html.na(reason);
      html.close("td");
      return;
    }
    html.element("td", format(decimals), "title", title, "class", best ? "best" : null);
  }
}
