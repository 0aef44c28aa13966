/**
 * Batch scoring on Apache Spark: {@link org.flawmap.spark.ScoreImagesJob} scores a folder of
 * images or a Parquet list of paths with a model file and writes one Parquet row per image. It
 * runs the same inference code as {@code flawmap predict}, so scores are the same.
 */
package org.flawmap.spark;
