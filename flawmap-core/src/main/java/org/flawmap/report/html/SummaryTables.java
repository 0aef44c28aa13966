package org.flawmap.report.html;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.flawmap.report.html.BenchmarkResults.Cell;
import org.flawmap.report.html.BenchmarkResults.Row;
import org.flawmap.report.html.BenchmarkResults.ThresholdEntry;

/**
 * The report's tables: the ranking of one product, mean IoU per group (defect type, category or
 * background) aggregated over seeds, and time and memory per model. Higher is better for every
 * metric shown, so the maximum of each column is highlighted.
 */
final class SummaryTables {

  /** The headline metric: IoU per anomalous image, averaged. */
  static final String HEADLINE = "mean_iou";

  private static final String[][] RANKING_COLUMNS = {
    {"mean_iou", "mean IoU"}, {"pixel_f1", "pixel F1"}, {"pixel_precision", "pixel precision"},
    {"pixel_recall", "pixel recall"}, {"image_auroc", "image AUROC"},
    {"pixel_auroc", "pixel AUROC"}, {"aupro", "AUPRO"}
  };

  private static final String NO_VALUE =
      "n/a: no cell has this group with a defined mean IoU (the group is absent or its mean IoU"
          + " is null in results.json)";

  private record Ranked(Cell cell, ThresholdEntry entry, Row row) {
    double metric(String name) {
      return row == null ? Double.NaN : row.metric(name);
    }
  }

  private record RowKey(String model, String backbone, String estimator) {}

  private SummaryTables() {}

  /**
   * Writes the ranking of every cell × estimator of one product by mean IoU on the group
   * {@code all}, highest first. Undefined values rank last, and ties keep the file's order.
   */
  static void writeRanking(Html html, List<Cell> cells, Outline outline) {
    List<Ranked> ranked = new ArrayList<>();
    for (Cell cell : cells) {
      for (ThresholdEntry entry : cell.thresholds()) {
        ranked.add(new Ranked(cell, entry, cell.row(entry.estimator(), "all")));
      }
    }
    ranked.sort(Comparator.comparingDouble(
        (Ranked r) -> Double.isNaN(r.metric(HEADLINE)) ? Double.NEGATIVE_INFINITY
            : r.metric(HEADLINE)).reversed());

    double[] best = new double[RANKING_COLUMNS.length];
    for (int c = 0; c < RANKING_COLUMNS.length; c++) {
      String name = RANKING_COLUMNS[c][0];
      best[c] = ranked.stream().mapToDouble(r -> r.metric(name)).filter(Double::isFinite).max()
          .orElse(Double.NaN);
    }

    html.open("table", "class", "ranking").open("thead").open("tr");
    String[] textHeaders = {"#", "model", "backbone", "seed", "estimator", "threshold"};
    for (String header : textHeaders) {
      html.element("th", header, "class", "text");
    }
    for (String[] column : RANKING_COLUMNS) {
      html.element("th", column[1]);
    }
    html.close("tr").close("thead").open("tbody").newline();
    for (int i = 0; i < ranked.size(); i++) {
      Ranked r = ranked.get(i);
      boolean fallback = !r.entry().used().equals(r.entry().estimator());
      html.open("tr", "class", fallback ? "fallback" : null);
      html.element("td", Integer.toString(i + 1), "class", "text");
      html.open("td", "class", "text")
          .element("a", r.cell().model(), "href", "#" + cellId(outline, r.cell())).close("td");
      html.element("td", r.cell().backbone(), "class", "text");
      html.element("td", Long.toString(r.cell().seed()), "class", "text");
      writeEstimator(html, r.entry());
      html.element("td", Html.significant(r.entry().threshold()));
      for (int c = 0; c < RANKING_COLUMNS.length; c++) {
        double v = r.metric(RANKING_COLUMNS[c][0]);
        html.metricCell(v, "class", v == best[c] ? "best" : null);
      }
      html.close("tr").newline();
    }
    html.close("tbody").close("table").newline();
  }

  /** Writes the estimator's name, with the one actually used after a fallback. */
  static void writeEstimator(Html html, ThresholdEntry entry) {
    boolean fallback = !entry.used().equals(entry.estimator());
    String text = fallback ? entry.estimator() + " → " + entry.used() : entry.estimator();
    String title = entry.warnings().isEmpty() ? null : String.join("\n", entry.warnings());
    html.element("td", text, "class", "text estimator", "title", title);
  }

  static String cellId(Outline outline, Cell cell) {
    return outline.id("cell", cell.product(), cell.model(), cell.backbone(),
        Long.toString(cell.seed()));
  }

  /**
   * Writes mean IoU per group of {@code kind} (for example {@code category}), one row per model,
   * backbone and estimator. For each seed the value is the mean over the products that define
   * it, and the table shows the mean ± sample standard deviation of those over seeds. The
   * column {@code all} comes first, then {@code order}, then other values alphabetically.
   */
  static void writeGroupTable(Html html, List<Cell> cells, String kind, List<String> order) {
    Map<RowKey, List<Cell>> byRow = new LinkedHashMap<>();
    Set<String> values = new LinkedHashSet<>();
    for (Cell cell : cells) {
      for (ThresholdEntry entry : cell.thresholds()) {
        byRow.computeIfAbsent(new RowKey(cell.model(), cell.backbone(), entry.estimator()),
            k -> new ArrayList<>()).add(cell);
      }
      for (Row row : cell.rows()) {
        if (row.group().startsWith(kind + "=")) {
          values.add(row.group().substring(kind.length() + 1));
        }
      }
    }
    if (values.isEmpty()) {
      html.element("p", "No group of kind '" + kind + "' in results.json.", "class", "note");
      return;
    }
    List<String> groups = new ArrayList<>(List.of("all"));
    order.stream().filter(values::contains).forEach(v -> groups.add(kind + "=" + v));
    values.stream().filter(v -> !order.contains(v)).sorted()
        .forEach(v -> groups.add(kind + "=" + v));

    Map<RowKey, List<Spread>> spreads = new LinkedHashMap<>();
    Map<RowKey, List<String>> titles = new LinkedHashMap<>();
    byRow.forEach((key, rowCells) -> {
      for (String group : groups) {
        spreads.computeIfAbsent(key, k -> new ArrayList<>()).add(spread(key, rowCells, group));
        titles.computeIfAbsent(key, k -> new ArrayList<>()).add(detail(key, rowCells, group));
      }
    });

    html.open("table", "class", "groups").open("thead").open("tr");
    for (String header : new String[] {"model", "backbone", "estimator"}) {
      html.element("th", header, "class", "text");
    }
    for (String group : groups) {
      html.element("th", group.equals("all") ? "all" : group.substring(kind.length() + 1));
    }
    html.close("tr").close("thead").open("tbody").newline();
    for (var e : spreads.entrySet()) {
      RowKey key = e.getKey();
      html.open("tr");
      html.element("td", key.model(), "class", "text");
      html.element("td", key.backbone(), "class", "text");
      html.element("td", key.estimator(), "class", "text");
      for (int g = 0; g < groups.size(); g++) {
        Spread s = e.getValue().get(g);
        boolean best = s.n() > 0 && s.mean() == columnMax(spreads.values(), g);
        s.writeCell(html, 4, titles.get(key).get(g), best, NO_VALUE);
      }
      html.close("tr").newline();
    }
    html.close("tbody").close("table").newline();
  }

  private static double columnMax(Iterable<List<Spread>> rows, int column) {
    double max = Double.NEGATIVE_INFINITY;
    for (List<Spread> row : rows) {
      Spread s = row.get(column);
      if (s.n() > 0) {
        max = Math.max(max, s.mean());
      }
    }
    return max;
  }

  /** Returns the headline metric per seed, averaged over products, then spread over seeds. */
  private static Spread spread(RowKey key, List<Cell> cells, String group) {
    Map<Long, List<Double>> bySeed = valuesBySeed(key, cells, group, c -> true);
    List<Double> seedMeans = new ArrayList<>();
    bySeed.values().forEach(v -> seedMeans.add(Spread.of(v).mean()));
    return Spread.of(seedMeans);
  }

  private static Map<Long, List<Double>> valuesBySeed(
      RowKey key, List<Cell> cells, String group, java.util.function.Predicate<Cell> filter) {
    Map<Long, List<Double>> bySeed = new TreeMap<>();
    for (Cell cell : cells) {
      Row row = cell.row(key.estimator(), group);
      if (filter.test(cell) && row != null && Double.isFinite(row.metric(HEADLINE))) {
        bySeed.computeIfAbsent(cell.seed(), s -> new ArrayList<>()).add(row.metric(HEADLINE));
      }
    }
    return bySeed;
  }

  /** Returns the tooltip that lists the figures behind one table value, per product. */
  private static String detail(RowKey key, List<Cell> cells, String group) {
    Set<String> products = new LinkedHashSet<>();
    cells.forEach(c -> products.add(c.product()));
    StringBuilder text = new StringBuilder(group).append(", mean IoU per product:");
    for (String product : products) {
      Map<Long, List<Double>> bySeed =
          valuesBySeed(key, cells, group, c -> c.product().equals(product));
      List<Double> values = new ArrayList<>();
      bySeed.values().forEach(values::addAll);
      Spread s = Spread.of(values);
      text.append('\n').append(product).append(": ")
          .append(s.n() == 0 ? "n/a" : s.format(4) + " (seeds " + bySeed.keySet() + ")");
    }
    return text.toString();
  }

  /** Writes fit time, inference time and peak heap per product, model and backbone. */
  static void writeResources(Html html, List<Cell> cells) {
    Map<String, List<Cell>> byModel = new LinkedHashMap<>();
    for (Cell cell : cells) {
      byModel.computeIfAbsent(cell.product() + "\n" + cell.model() + "\n" + cell.backbone(),
          k -> new ArrayList<>()).add(cell);
    }
    html.open("table", "class", "resources").open("thead").open("tr");
    for (String header : new String[] {"product", "model", "backbone", "seeds"}) {
      html.element("th", header, "class", "text");
    }
    html.element("th", "fit (s)").element("th", "inference (ms per image)")
        .element("th", "peak heap (MB)");
    html.close("tr").close("thead").open("tbody").newline();
    for (List<Cell> group : byModel.values()) {
      Cell first = group.get(0);
      html.open("tr");
      html.element("td", first.product(), "class", "text");
      html.element("td", first.model(), "class", "text");
      html.element("td", first.backbone(), "class", "text");
      html.element("td", Integer.toString(group.size()), "class", "text");
      writeSpread(html, group, Cell::fitSeconds, 1);
      writeSpread(html, group, Cell::inferenceMsPerImage, 1);
      writeSpread(html, group, Cell::peakHeapMb, 0);
      html.close("tr").newline();
    }
    html.close("tbody").close("table").newline();
  }

  private static void writeSpread(
      Html html, List<Cell> cells, Function<Cell, Double> field, int decimals) {
    List<Double> values = new ArrayList<>();
    cells.forEach(c -> values.add(field.apply(c)));
    Spread s = Spread.of(values);
    String title = s.n() + " of " + cells.size() + " seeds measured; mean ± sample std";
    s.writeCell(html, decimals, title, false, "not measured (null in results.json)");
  }
}
