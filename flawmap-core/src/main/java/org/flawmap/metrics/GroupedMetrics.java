package org.flawmap.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.dataset.Mask;

/**
 * Metrics broken down by group key, so that a report can show every metric per defect type,
 * category or other attribute of the anomalous images.
 *
 * <p>Grouping rule: an anomalous image belongs to {@link #ALL} and to each key it is added with.
 * Normal images belong to every group, including groups whose first anomalous image arrives later,
 * so a group's AUROC compares its anomalous images against all normal images. The group keys given
 * with a normal image are ignored.
 *
 * <p>Memory: the normal images are accumulated once, and each group keeps one {@link PixelMetrics}
 * (two paged histograms), its image scores and, with thresholds, one {@link InferenceMetrics} entry
 * per image. {@link #group} merges the normal images in on demand.
 *
 * <p>Not thread-safe.
 */
public final class GroupedMetrics {

  /** Key of the group that contains every image. */
  public static final String ALL = "all";

  private final int mantissaBits;
  private final Float pixelThreshold;
  private final Double imageThreshold;
  private final Accumulator normal;
  private final Map<String, Accumulator> anomalousByGroup = new TreeMap<>();

  /** Creates grouped rank metrics without fixed-threshold metrics. */
  public GroupedMetrics() {
    this(ScoreHistogram.DEFAULT_MANTISSA_BITS, null, null);
  }

  /** Creates grouped rank metrics and {@link InferenceMetrics} at the given thresholds. */
  public GroupedMetrics(float pixelThreshold, double imageThreshold) {
    this(ScoreHistogram.DEFAULT_MANTISSA_BITS, pixelThreshold, imageThreshold);
  }

  /**
   * @param mantissaBits histogram resolution, see {@link ScoreHistogram}
   * @param pixelThreshold pixel threshold, or null for no {@link InferenceMetrics}
   * @param imageThreshold image threshold, null exactly when {@code pixelThreshold} is null
   */
  public GroupedMetrics(int mantissaBits, Float pixelThreshold, Double imageThreshold) {
    if ((pixelThreshold == null) != (imageThreshold == null)) {
      throw new IllegalArgumentException(
          "give both thresholds or neither, found pixel=%s image=%s"
              .formatted(pixelThreshold, imageThreshold));
    }
    this.mantissaBits = mantissaBits;
    this.pixelThreshold = pixelThreshold;
    this.imageThreshold = imageThreshold;
    this.normal = new Accumulator();
    anomalousByGroup.put(ALL, new Accumulator());
  }

  /**
   * Adds one image to {@link #ALL} and to {@code groups} (anomalous images), or to every group
   * (normal images).
   *
   * @param gtMask ground-truth mask, or null for a normal image
   * @param imageScore finite image score
   * @param anomalous ground-truth image label
   * @param groups group keys of an anomalous image besides {@link #ALL}, possibly empty
   */
  public void add(
      String imageId,
      AnomalyMap anomalyMap,
      Mask gtMask,
      double imageScore,
      boolean anomalous,
      Collection<String> groups) {
    // Validate before touching any accumulator, so a bad image leaves every group unchanged.
    InferenceMetrics.checkLabelledImage(imageId, anomalyMap, gtMask, imageScore, anomalous);
    if (!anomalous) {
      normal.add(imageId, anomalyMap, gtMask, imageScore, false);
      return;
    }

    Set<String> keys = new LinkedHashSet<>();
    keys.add(ALL);
    keys.addAll(groups);
    for (String key : keys) {
      anomalousByGroup
          .computeIfAbsent(key, k -> new Accumulator())
          .add(imageId, anomalyMap, gtMask, imageScore, true);
    }
  }

  /**
   * Adds an image to the image-level metrics only, as {@link #add} would group it. For an
   * anomalous image whose mask is empty: it counts for image AUROC, AP, precision and recall,
   * and for no pixel metric.
   */
  public void addImageOnly(
      String imageId, double imageScore, boolean anomalous, Collection<String> groups) {
    if (!anomalous) {
      normal.addImageOnly(imageId, imageScore, false);
      return;
    }
    Set<String> keys = new LinkedHashSet<>();
    keys.add(ALL);
    keys.addAll(groups);
    for (String key : keys) {
      anomalousByGroup.computeIfAbsent(key, k -> new Accumulator())
          .addImageOnly(imageId, imageScore, true);
    }
  }

  /** Returns the group keys in sorted order. {@link #ALL} is always present. */
  public List<String> groupKeys() {
    return new ArrayList<>(anomalousByGroup.keySet());
  }

  /**
   * Returns the metrics of group {@code key}: its anomalous images plus all normal images. The
   * result is a snapshot and does not change with later {@link #add} calls.
   */
  public MetricsGroup group(String key) {
    Accumulator anomalous = anomalousByGroup.get(key);
    if (anomalous == null) {
      throw new IllegalArgumentException(
          "unknown metrics group '%s'; known groups: %s".formatted(key, groupKeys()));
    }

    PixelMetrics pixel = PixelMetrics.copyOf(anomalous.pixel);
    pixel.merge(normal.pixel);
    ImageMetrics image = new ImageMetrics();
    image.merge(anomalous.image);
    image.merge(normal.image);
    InferenceMetrics inference = null;
    if (pixelThreshold != null) {
      inference = new InferenceMetrics(pixelThreshold, imageThreshold);
      inference.merge(anomalous.inference);
      inference.merge(normal.inference);
    }
    return new MetricsGroup(key, anomalous.images, normal.images, pixel, image, inference);
  }

  /** Returns every group in key order. */
  public List<MetricsGroup> groups() {
    List<MetricsGroup> all = new ArrayList<>();
    for (String key : groupKeys()) {
      all.add(group(key));
    }
    return all;
  }

  /** The accumulators of one set of images. */
  private final class Accumulator {
    final PixelMetrics pixel = new PixelMetrics(mantissaBits);
    final ImageMetrics image = new ImageMetrics();
    final InferenceMetrics inference =
        pixelThreshold == null ? null : new InferenceMetrics(pixelThreshold, imageThreshold);
    int images;

    void add(
        String imageId, AnomalyMap anomalyMap, Mask gtMask, double imageScore, boolean anomalous) {
      if (inference != null) {
        inference.add(imageId, anomalyMap, gtMask, imageScore, anomalous);
      }
      image.add(imageId, imageScore, anomalous);
      pixel.add(imageId, anomalyMap, gtMask);
      images++;
    }

    void addImageOnly(String imageId, double imageScore, boolean anomalous) {
      if (inference != null) {
        inference.addImageOnly(imageId, imageScore, anomalous);
      }
      image.add(imageId, imageScore, anomalous);
      images++;
    }
  }
}
