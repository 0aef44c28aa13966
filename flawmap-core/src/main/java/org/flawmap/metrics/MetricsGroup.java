package org.flawmap.metrics;

/**
 * The metrics of one group of a {@link GroupedMetrics}: the group's anomalous images together with
 * all normal images.
 *
 * @param key group key, for example {@code all} or {@code defect_type=crack}
 * @param anomalousImages number of anomalous images in the group
 * @param normalImages number of normal images (the same for every group)
 * @param pixel pixel AUROC, AP and AUPRO
 * @param image image AUROC and AP
 * @param inference counts at fixed thresholds, or null when the thresholds were not given
 */
public record MetricsGroup(
    String key,
    int anomalousImages,
    int normalImages,
    PixelMetrics pixel,
    ImageMetrics image,
    InferenceMetrics inference) {}
