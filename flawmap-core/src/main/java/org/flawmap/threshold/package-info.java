/**
 * Pixel threshold estimation from the validation set's anomaly maps and ground-truth masks.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>Every estimator returns a threshold t such that pixels with {@code score >= t} are
 *       predicted anomalous, the same rule as {@link org.flawmap.metrics}.
 *   <li>Five estimators, found by name through {@link
 *       org.flawmap.threshold.ThresholdEstimators#byName}: {@code f1}, {@code iou-curve} (the
 *       default), {@code normal-stats}, {@code normal-quantile} and {@code roc}. Each class comment
 *       gives its formula and candidate thresholds.
 *   <li>Options live in {@link org.flawmap.threshold.ThresholdOptions} and are validated there.
 *   <li>Without a defect pixel in the validation masks, {@code f1}, {@code iou-curve} and {@code
 *       roc} (unless given a target FPR) fall back to {@code normal-stats}. They log a WARN and
 *       record the fallback and its fix in {@link org.flawmap.threshold.ThresholdResult#warnings}.
 *   <li>Non-finite scores are rejected when a {@link org.flawmap.threshold.ValidationImage} is
 *       created. Every estimator rejects an empty validation set and one whose pixels all have the
 *       same score.
 *   <li>The estimators keep the validation set in memory, as it is usually small.
 * </ul>
 *
 * <p>The formulas and the guidance on which estimator to use are also in {@code
 * docs/thresholds.md}.
 */
package org.flawmap.threshold;
