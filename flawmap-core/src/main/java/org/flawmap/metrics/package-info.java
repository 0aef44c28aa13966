/**
 * Evaluation metrics for anomaly maps: pixel AUROC, pixel average precision and AUPRO ({@link
 * org.flawmap.metrics.PixelMetrics}), image AUROC and average precision ({@link
 * org.flawmap.metrics.ImageMetrics}), counts at fixed thresholds ({@link
 * org.flawmap.metrics.InferenceMetrics}) and breakdowns by group ({@link
 * org.flawmap.metrics.GroupedMetrics}).
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>A pixel or image is predicted anomalous when {@code score >= threshold}, everywhere.
 *   <li>Pixel rank metrics stream through a {@link org.flawmap.metrics.ScoreHistogram}, so memory
 *       does not grow with the number of pixels. Scores in one bin (relative width 2^-14 by
 *       default) are tied. Each {@link org.flawmap.metrics.MetricValue} carries an interval that
 *       contains the value exact sorting would give, and the metric is exact when all scores are
 *       representable at bin resolution. Image metrics and fixed-threshold counts are exact.
 *   <li>Equal scores form one step of a curve, integrated as a trapezoid.
 *   <li>A metric that the input cannot define (for example AUROC without a defect pixel) is a NaN
 *       {@link org.flawmap.metrics.MetricValue} with {@code undefinedReason} set and a WARN logged,
 *       never a silent NaN. Ratios with a zero denominator in {@link
 *       org.flawmap.metrics.BinaryCounts} follow its documented convention instead.
 *   <li>NaN and infinite scores, and masks whose size differs from the map, are rejected with an
 *       {@link IllegalArgumentException} that names the image, and the accumulator is unchanged.
 *   <li>Accumulators are not thread-safe. Use one per thread and merge them.
 * </ul>
 */
package org.flawmap.metrics;
