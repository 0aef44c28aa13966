package org.flawmap.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flawmap.labels.DefectCategory;
import org.flawmap.labels.LabelRow;

/**
 * Recommends a model and a threshold estimator for a product from its label file, and from
 * measured benchmark results when there are any.
 *
 * <p>Without results the starting guidance applies: PaDiM with the IoU-curve threshold, and
 * CFLOW when surface defects are more than half of the labelled images. With results, each
 * (model, backbone, estimator) is scored by the mean IoU it reached per defect category,
 * weighted by the product's share of that category and averaged over seeds. The highest wins.
 */
public final class Advisor {

  /** The recommendation and the reasons for it, one sentence each. */
  public record Advice(String model, String estimator, List<String> reasons) {

    public String format() {
      StringBuilder out = new StringBuilder();
      out.append("recommended: model ").append(model).append(", threshold estimator ")
          .append(estimator).append('\n');
      reasons.forEach(r -> out.append("- ").append(r).append('\n'));
      return out.toString();
    }
  }

  private Advisor() {}

  public static Advice advise(List<LabelRow> labels, JsonNode results) {
    if (labels.isEmpty()) {
      throw new IllegalArgumentException(
          "the label file has no rows; label the anomalous images first (labels suggest)");
    }
    Map<DefectCategory, Integer> counts = new EnumMap<>(DefectCategory.class);
    for (LabelRow row : labels) {
      counts.merge(row.category(), 1, Integer::sum);
    }
    Map<DefectCategory, Double> shares = new EnumMap<>(DefectCategory.class);
    counts.forEach((c, n) -> shares.put(c, n / (double) labels.size()));
    String product = labels.get(0).product();
    Map<String, Long> products = new java.util.TreeMap<>();
    labels.forEach(row -> products.merge(row.product(), 1L, Long::sum));
    if (products.size() > 1) {
      throw new IllegalArgumentException(
          "the label file mixes products " + products + "; advise works on one product, so"
              + " split the file per product");
    }
    List<String> reasons = new ArrayList<>();
    reasons.add("defect mix of %s: %s (%d labelled images)"
        .formatted(product, describe(shares), labels.size()));

    if (results == null) {
      return guidance(shares, reasons);
    }
    if (!results.path("cells").isArray() || results.path("cells").isEmpty()) {
      throw new IllegalArgumentException(
          "the benchmark results have no cells; pass the output folder of a finished"
              + " flawmap benchmark");
    }
    return measured(product, shares, results, reasons);
  }

  private static Advice guidance(Map<DefectCategory, Double> shares, List<String> reasons) {
    double surface = shares.getOrDefault(DefectCategory.SURFACE, 0.0);
    if (surface > 0.5) {
      reasons.add(("surface defects are %.0f%% of the images, and the starting guidance for"
          + " surface-dominated products is CFLOW, whose likelihood maps suit texture changes")
          .formatted(100 * surface));
      // NOTE: CFLOW is not in this version, so the advice names the fallback it can run.
      reasons.add("this flawmap has no CFLOW yet, so run PaDiM with the IoU-curve threshold,"
          + " then benchmark (flawmap benchmark) to compare with PatchCore on your images");
      return new Advice("padim", "iou-curve", reasons);
    }
    reasons.add("no surface-dominated mix, so the starting guidance applies: PaDiM with the"
        + " IoU-curve threshold");
    reasons.add("no benchmark results were given; run flawmap benchmark and pass --results to"
        + " choose from measured IoU");
    return new Advice("padim", "iou-curve", reasons);
  }

  /** Per-category mean IoU of one (model, backbone, estimator), accumulated over seeds. */
  private static final class Candidate {
    final String model;
    final String backbone;
    final String estimator;
    final Map<String, List<Double>> iouByGroup = new LinkedHashMap<>();

    Candidate(String model, String backbone, String estimator) {
      this.model = model;
      this.backbone = backbone;
      this.estimator = estimator;
    }

    double meanIou(String group) {
      List<Double> v = iouByGroup.get(group);
      return v == null || v.isEmpty()
          ? Double.NaN : v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
  }

  private static Advice measured(
      String product, Map<DefectCategory, Double> shares, JsonNode results,
      List<String> reasons) {
    List<JsonNode> cells = new ArrayList<>();
    results.path("cells").forEach(c -> {
      if (c.path("product").asText().equals(product)) {
        cells.add(c);
      }
    });
    if (cells.isEmpty()) {
      List<String> known = new ArrayList<>();
      results.path("cells").forEach(c -> {
        if (!known.contains(c.path("product").asText())) {
          known.add(c.path("product").asText());
        }
      });
      throw new IllegalArgumentException(
          ("the benchmark results have no cell for product %s (they have %s); benchmark that"
              + " product with its label file, or pass its own results").formatted(product, known));
    }

    Map<String, Candidate> candidates = new LinkedHashMap<>();
    for (JsonNode cell : cells) {
      for (JsonNode row : cell.path("rows")) {
        String key = cell.path("model").asText() + "|" + cell.path("backbone").asText() + "|"
            + row.path("estimator").asText();
        Candidate c = candidates.computeIfAbsent(key, k -> new Candidate(
            cell.path("model").asText(), cell.path("backbone").asText(),
            row.path("estimator").asText()));
        JsonNode iou = row.path("metrics").path("mean_iou");
        if (iou.isNumber()) {
          c.iouByGroup.computeIfAbsent(row.path("group").asText(), g -> new ArrayList<>())
              .add(iou.asDouble());
        }
      }
    }

    boolean byCategory = candidates.values().stream()
        .anyMatch(c -> c.iouByGroup.keySet().stream().anyMatch(g -> g.startsWith("category=")));
    Map<String, Double> scores = new LinkedHashMap<>();
    for (var e : candidates.entrySet()) {
      scores.put(e.getKey(), byCategory ? weighted(e.getValue(), shares)
          : e.getValue().meanIou("all"));
    }
    List<String> ranked = scores.entrySet().stream()
        .filter(e -> Double.isFinite(e.getValue()))
        .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
        .map(Map.Entry::getKey)
        .toList();
    if (ranked.isEmpty()) {
      reasons.add("the results have no defined mean IoU; falling back to the starting guidance");
      return guidance(shares, reasons);
    }
    Candidate top = candidates.get(ranked.get(0));
    for (var e : shares.entrySet()) {
      if (byCategory && !Double.isFinite(top.meanIou("category=" + e.getKey().value()))) {
        reasons.add(("no measured IoU for %s (%.0f%% of the labelled images): the benchmark's"
            + " test split has none, so the ranking rests on the other categories")
            .formatted(e.getKey().value(), 100 * e.getValue()));
      }
    }
    if (!byCategory) {
      reasons.add("the benchmark ran without a label file, so candidates are ranked by mean IoU"
          + " over all defects rather than per category");
    }
    for (int i = 0; i < Math.min(3, ranked.size()); i++) {
      Candidate c = candidates.get(ranked.get(i));
      reasons.add("%s %s with %s on %s: weighted mean IoU %.4f%s".formatted(
          i == 0 ? "best:" : "then", c.model, c.estimator, c.backbone, scores.get(ranked.get(i)),
          byCategory ? " (" + perCategory(c, shares) + ")" : ""));
    }
    Candidate best = candidates.get(ranked.get(0));
    return new Advice(best.model, best.estimator, reasons);
  }

  private static double weighted(Candidate c, Map<DefectCategory, Double> shares) {
    double sum = 0;
    double weight = 0;
    for (var e : shares.entrySet()) {
      double iou = c.meanIou("category=" + e.getKey().value());
      if (Double.isFinite(iou)) {
        sum += e.getValue() * iou;
        weight += e.getValue();
      }
    }
    return weight == 0 ? Double.NaN : sum / weight;
  }

  private static String perCategory(Candidate c, Map<DefectCategory, Double> shares) {
    List<String> parts = new ArrayList<>();
    for (DefectCategory category : shares.keySet()) {
      double iou = c.meanIou("category=" + category.value());
      parts.add(category.value() + " "
          + (Double.isFinite(iou) ? String.format(Locale.ROOT, "%.4f", iou) : "n/a"));
    }
    return String.join(", ", parts);
  }

  private static String describe(Map<DefectCategory, Double> shares) {
    List<String> parts = new ArrayList<>();
    shares.forEach((c, s) -> parts.add(String.format(Locale.ROOT, "%s %.0f%%", c.value(),
        100 * s)));
    return String.join(", ", parts);
  }
}
