package org.flawmap.report.html;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.flawmap.report.MetricsSummary;
import org.flawmap.report.html.BenchmarkResults.Cell;
import org.flawmap.report.html.BenchmarkResults.Curve;
import org.flawmap.report.html.BenchmarkResults.Curves;
import org.flawmap.report.html.BenchmarkResults.DatasetInfo;
import org.flawmap.report.html.BenchmarkResults.GalleryItem;
import org.flawmap.report.html.BenchmarkResults.Machine;
import org.flawmap.report.html.BenchmarkResults.Provenance;
import org.flawmap.report.html.BenchmarkResults.Row;
import org.flawmap.report.html.BenchmarkResults.Sweep;
import org.flawmap.report.html.BenchmarkResults.ThresholdEntry;
import org.flawmap.threshold.ThresholdEstimators;

/**
 * A small benchmark output folder: two products, model {@code padim} with seeds 42 and 7 and
 * model {@code patchcore} with seed 42, the five estimators, groups of every kind, undefined
 * metrics in places, and gallery PNGs of 12 × 10 pixels. Mean IoU follows {@link #meanIou}, so
 * tests can compute expected table values in closed form.
 */
final class SyntheticBenchmark {

  static final List<String> PRODUCTS = List.of("tile", "bottle");
  static final List<String> MODELS = List.of("padim", "patchcore");
  static final List<String> BACKBONES = List.of("mobilenet_v2_nsfwjs", "resnet18");

  /** Groups per product; {@code category=contamination} of bottle has a null mean IoU. */
  static final List<List<String>> GROUPS = List.of(
      List.of("all", "defect_type=crack", "defect_type=break", "category=structural",
          "category=contamination", "background=without"),
      List.of("all", "defect_type=broken_large", "defect_type=contamination",
          "category=structural", "category=contamination", "category=unlabelled",
          "background=with", "background=unlabelled"));

  /** Text in the configuration that would break the page if it were not escaped. */
  static final String HOSTILE_TEXT = "</pre><script>document.title='hacked'</script>&<b>";

  /** Five cells have a gallery of 2 items with 4 pictures and 1 with 3 (no ground truth). */
  static final int EXPECTED_IMAGES = 5 * (4 + 4 + 3);

  /** Six cells with three plots, except that tile / patchcore has no PRO curve. */
  static final int EXPECTED_PLOTS = 6 * 3 - 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  private SyntheticBenchmark() {}

  static List<Long> seeds(String model) {
    return model.equals("padim") ? List.of(42L, 7L) : List.of(42L);
  }

  /** Returns the mean IoU of a row; the group index is its position in {@link #GROUPS}. */
  static Double meanIou(int product, int model, long seed, int estimator, int group) {
    if (product == 1 && GROUPS.get(1).get(group).equals("category=contamination")) {
      return null;
    }
    return 0.05 + 0.1 * product + 0.2 * model + 0.01 * estimator + 0.03 * group
        + (seed == 7 ? 0.02 : 0.0);
  }

  /** Writes the gallery PNGs and {@code results.json} into {@code folder}. */
  static BenchmarkResults create(Path folder) throws IOException {
    List<Cell> cells = new ArrayList<>();
    for (int p = 0; p < PRODUCTS.size(); p++) {
      for (int m = 0; m < MODELS.size(); m++) {
        for (long seed : seeds(MODELS.get(m))) {
          cells.add(cell(folder, p, m, seed));
        }
      }
    }
    BenchmarkResults results = new BenchmarkResults(provenance(), cells);
    results.write(folder.resolve(BenchmarkResults.FILE_NAME));
    return results;
  }

  private static Provenance provenance() {
    ObjectNode config = JSON.createObjectNode();
    config.putArray("models").add("padim").add("patchcore");
    config.putObject("threshold").put("k", 3).put("quantile", 0.99);
    config.put("note", HOSTILE_TEXT);
    List<DatasetInfo> datasets = List.of(
        new DatasetInfo("tile", "/data/tile", "mvtec", 762, 116, 466, "ab".repeat(32), null),
        new DatasetInfo("bottle", "/data/bottle", "mvtec", 209, 20, 63, "cd".repeat(32),
            "/data/bottle-labels.csv"));
    return new Provenance(config, "0.1.0-SNAPSHOT", "17.0.15", "2025-01-02T03:04:05Z",
        "2025-01-02T04:10:15Z", new Machine(2, 2048, "Linux 6.1 amd64"), datasets,
        List.of(42L, 7L));
  }

  private static Cell cell(Path folder, int p, int m, long seed) throws IOException {
    String product = PRODUCTS.get(p);
    String model = MODELS.get(m);
    List<String> estimators = ThresholdEstimators.names();

    List<ThresholdEntry> thresholds = new ArrayList<>();
    for (int e = 0; e < estimators.size(); e++) {
      String name = estimators.get(e);
      boolean fallback = p == 1 && m == 1 && name.equals("f1");
      double threshold = name.equals("normal-quantile") && p == 0 ? 95.0 : 10 + 2 * e + p;
      thresholds.add(new ThresholdEntry(name, fallback ? "normal-stats" : name, threshold,
          "criterion of " + name, e == 2 ? null : 0.2 + 0.1 * e,
          fallback ? List.of("no defect pixels in validation; fell back to normal-stats")
              : List.of()));
    }

    List<Row> rows = new ArrayList<>();
    for (int e = 0; e < estimators.size(); e++) {
      for (int g = 0; g < GROUPS.get(p).size(); g++) {
        rows.add(new Row(estimators.get(e), GROUPS.get(p).get(g), metrics(p, m, seed, e, g)));
      }
    }

    boolean noPro = p == 0 && m == 1;
    Curves curves = new Curves(roc(), noPro ? null : pro(), sweep());
    boolean noGallery = p == 1 && m == 1;
    List<GalleryItem> gallery = noGallery ? List.of()
        : gallery(folder, product + "-" + model + "-" + seed);
    return new Cell(product, model, BACKBONES.get(m), seed, 10.0 + m + seed / 100.0,
        16.5 + m, m == 1 ? null : 600.0 + seed, "iou-curve", thresholds, rows, curves, gallery);
  }

  private static Map<String, Double> metrics(int p, int m, long seed, int e, int g) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    for (String name : MetricsSummary.NAMES) {
      metrics.put(name, name.endsWith("_images") ? 10.0 + g : 0.5 + 0.01 * (e + g + m));
    }
    metrics.put("mean_iou", meanIou(p, m, seed, e, g));
    if (GROUPS.get(p).get(g).startsWith("background=")) {
      metrics.put("aupro", null);
      metrics.put("image_auroc", null);
    }
    if (e == 4 && g == 0) {
      metrics.put("pixel_auroc", null);
    }
    return metrics;
  }

  private static Curve roc() {
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (int i = 0; i <= 20; i++) {
      x.add(i / 20.0);
      y.add(Math.sqrt(i / 20.0));
    }
    return new Curve(x, y);
  }

  private static Curve pro() {
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (int i = 0; i <= 10; i++) {
      x.add(0.03 * i);
      y.add(Math.min(1, 0.1 * i * 1.5));
    }
    return new Curve(x, y);
  }

  private static Sweep sweep() {
    List<Double> threshold = new ArrayList<>();
    List<Double> f1 = new ArrayList<>();
    List<Double> iou = new ArrayList<>();
    for (int i = 0; i <= 28; i++) {
      double t = 8 + 0.5 * i;
      threshold.add(t);
      f1.add(0.6 * Math.exp(-Math.pow((t - 15) / 4, 2)));
      iou.add(i == 14 ? null : 0.4 * Math.exp(-Math.pow((t - 16) / 4, 2)));
    }
    return new Sweep(threshold, f1, iou);
  }

  private static List<GalleryItem> gallery(Path folder, String cell) throws IOException {
    String base = "gallery/" + cell + "/";
    List<GalleryItem> items = new ArrayList<>();
    String[] kinds = {"worst", "best", "false_positive"};
    for (int n = 0; n < kinds.length; n++) {
      boolean normal = kinds[n].equals("false_positive");
      String prefix = base + n;
      png(folder, prefix + ".image.png", 0x808080 + n);
      png(folder, prefix + ".map.png", 0xff0000 >> (4 * n));
      png(folder, prefix + ".mask.png", 0xffffff);
      if (!normal) {
        png(folder, prefix + ".gt.png", 0xffffff);
      }
      items.add(new GalleryItem(kinds[n], (normal ? "test/good/" : "test/crack/") + n + ".jpg",
          normal ? null : 0.02 + 0.4 * n, 20.0 + n, prefix + ".image.png",
          normal ? null : prefix + ".gt.png", prefix + ".map.png", prefix + ".mask.png"));
    }
    return items;
  }

  private static void png(Path folder, String relative, int rgb) throws IOException {
    BufferedImage image = new BufferedImage(12, 10, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 10; y++) {
      for (int x = 0; x < 12; x++) {
        image.setRGB(x, y, (x + y) % 3 == 0 ? rgb : 0x202020);
      }
    }
    Path file = folder.resolve(relative);
    Files.createDirectories(file.getParent());
    ImageIO.write(image, "png", file.toFile());
  }
}
