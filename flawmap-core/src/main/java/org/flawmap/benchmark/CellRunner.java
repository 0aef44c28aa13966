package org.flawmap.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.backbone.FeatureExtractor;
import org.flawmap.dataset.Mask;
import org.flawmap.dataset.Sample;
import org.flawmap.engine.Calibrator;
import org.flawmap.engine.DatasetSession;
import org.flawmap.engine.EvaluateJob;
import org.flawmap.engine.FitJob;
import org.flawmap.metrics.BinaryCounts;
import org.flawmap.metrics.Curve;
import org.flawmap.metrics.GroupedMetrics;
import org.flawmap.metrics.MetricsGroup;
import org.flawmap.model.AnomalyModel;
import org.flawmap.model.Calibration;
import org.flawmap.model.ModelFitter;
import org.flawmap.report.MetricsSummary;
import org.flawmap.report.ThresholdReport;
import org.flawmap.threshold.ThresholdEstimators;
import org.flawmap.threshold.ThresholdResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes one benchmark cell (product × model × backbone × seed). It fits on the training
 * images and fits every threshold estimator on the validation split. On the test split it
 * computes every metric per estimator and group, the curves and a gallery, and it records the
 * time and memory it took.
 */
final class CellRunner {

  private static final Logger log = LoggerFactory.getLogger(CellRunner.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CURVE_POINTS = 400;
  private static final int SWEEP_POINTS = 96;

  private final BenchmarkConfig config;
  private final Path output;

  CellRunner(BenchmarkConfig config, Path output) {
    this.config = config;
    this.output = output;
  }

  /** Runs the cell and returns its JSON; gallery images are written under OUTPUT first. */
  ObjectNode run(
      CellKey key,
      DatasetSession session,
      FeatureExtractor extractor,
      ModelSpec spec,
      Function<Sample, List<String>> groupsOf)
      throws Exception {
    PeakHeap.reset();
    long start = System.nanoTime();
    ModelFitter fitter = spec.fitter(extractor.info(), key.seed());
    // Cells share the session and its feature cache, which keys features by input settings.
    session.useInput(spec.input());
    session.streamImages(
        "fit " + key, session.dataset().train(), extractor,
        (s, tiles) -> tiles.forEach(fitter::add));
    FitJob.requireTrainingImages(session, fitter);
    AnomalyModel model = fitter.fit();
    double fitSeconds = (System.nanoTime() - start) / 1e9;

    Calibrator calibrator = new Calibrator(model, spec.input());
    session.streamImages(
        "validate " + key, session.split().validation(), extractor, calibrator::addImage);
    Calibration calibration =
        calibrator.calibrate(
                ThresholdEstimators.byName(ThresholdEstimators.DEFAULT, config.thresholdOptions()))
            .calibration();
    List<ThresholdResult> estimates = new ArrayList<>();
    List<EvaluateJob.Thresholds> thresholds = new ArrayList<>();
    for (String name : config.thresholds()) {
      ThresholdResult r =
          ThresholdEstimators.byName(name, config.thresholdOptions()).estimate(calibrator.images());
      estimates.add(r);
      thresholds.add(new EvaluateJob.Thresholds(name, r.threshold(), calibration.imageThreshold()));
    }

    ThresholdSweep sweep = new ThresholdSweep(sweepGrid(calibration, estimates));
    Gallery gallery = new Gallery();
    long testStart = System.nanoTime();
    Map<String, GroupedMetrics> metrics =
        EvaluateJob.evaluate(
            session, session.split().test(), extractor, model, calibration, thresholds,
            groupsOf,
            (loaded, inspection) -> {
              Mask mask = loaded.maskEmpty() ? null : loaded.mask();
              if (!loaded.maskEmpty()) {
                sweep.add(inspection.anomalyMap(), mask);
              }
              gallery.add(new Gallery.Candidate(
                  loaded.sample().id(), loaded.sample().anomalous(),
                  mask == null ? Double.NaN : iou(inspection.anomalyMap(), mask,
                      calibration.pixelThreshold()),
                  inspection.imageScore(), inspection.anomalous()));
            });
    int tested = session.split().test().size() - session.loader().skipped().count();
    double msPerImage = (System.nanoTime() - testStart) / 1e6 / Math.max(1, tested);
    double peakHeap = PeakHeap.megabytes();

    ObjectNode cell = JSON.createObjectNode();
    cell.put("product", key.product());
    cell.put("model", key.model());
    cell.put("backbone", key.backbone());
    cell.put("seed", key.seed());
    cell.put("fit_seconds", fitSeconds);
    cell.put("inference_ms_per_image", msPerImage);
    cell.put("peak_heap_mb", peakHeap);
    cell.put("default_estimator", calibration.estimator());
    putThresholds(cell.putArray("thresholds"), estimates);
    putRows(cell.putArray("rows"), metrics);
    putCurves(cell.putObject("curves"), metrics.values().iterator().next(), sweep);
    List<Gallery.Pick> picks = gallery.pick(config.galleryPerKind());
    GalleryWriter.write(
        output, key, picks, session, extractor, model, calibration, cell.putArray("gallery"));
    log.info(
        "Cell {}: fit {} s, {} ms per image, peak heap {} MB", key,
        "%.1f".formatted(fitSeconds), "%.1f".formatted(msPerImage), "%.0f".formatted(peakHeap));
    return cell;
  }

  private static float[] sweepGrid(Calibration calibration, List<ThresholdResult> estimates) {
    float[] grid = new float[SWEEP_POINTS + estimates.size()];
    double lo = calibration.normMin();
    double hi = calibration.normMax();
    for (int i = 0; i < SWEEP_POINTS; i++) {
      grid[i] = (float) (lo + (hi - lo) * i / (SWEEP_POINTS - 1));
    }
    for (int i = 0; i < estimates.size(); i++) {
      grid[SWEEP_POINTS + i] = estimates.get(i).threshold();
    }
    return grid;
  }

  static double iou(AnomalyMap map, Mask mask, double threshold) {
    BinaryCounts c = BinaryCounts.ofPixels(map.values(), mask.pixels(), (float) threshold);
    return c.iou();
  }

  private static void putThresholds(ArrayNode out, List<ThresholdResult> estimates) {
    for (ThresholdResult r : estimates) {
      ThresholdReport.putEstimate(out.addObject(), r);
    }
  }

  private static void putRows(ArrayNode out, Map<String, GroupedMetrics> metrics) {
    for (var e : metrics.entrySet()) {
      for (MetricsGroup g : e.getValue().groups()) {
        MetricsSummary summary = MetricsSummary.of(g, 0.3);
        ObjectNode row = out.addObject();
        row.put("estimator", e.getKey());
        row.put("group", g.key());
        ObjectNode values = row.putObject("metrics");
        summary.values().forEach((name, v) -> {
          if (name.endsWith("_images")) {
            values.put(name, v.longValue());
          } else if (Double.isFinite(v)) {
            values.put(name, v);
          } else {
            values.putNull(name);
          }
        });
      }
    }
  }

  private static void putCurves(ObjectNode out, GroupedMetrics any, ThresholdSweep sweep) {
    MetricsGroup all = any.group(GroupedMetrics.ALL);
    putCurve(out, "roc", all.pixel().rocCurve(CURVE_POINTS));
    putCurve(out, "pro", all.pixel().proCurve(0.3, CURVE_POINTS));
    ObjectNode s = out.putObject("sweep");
    ArrayNode t = s.putArray("threshold");
    for (float v : sweep.thresholds()) {
      t.add(v);
    }
    putArray(s.putArray("pixel_f1"), sweep.pixelF1());
    putArray(s.putArray("mean_iou"), sweep.meanIou());
  }

  private static void putCurve(ObjectNode out, String name, Curve curve) {
    ObjectNode c = out.putObject(name);
    putArray(c.putArray("x"), curve == null ? new double[0] : curve.x());
    putArray(c.putArray("y"), curve == null ? new double[0] : curve.y());
  }

  private static void putArray(ArrayNode array, double[] values) {
    for (double v : values) {
      if (Double.isFinite(v)) {
        array.add(v);
      } else {
        array.addNull();
      }
    }
  }
}
