package org.flawmap.spark;

import java.io.Serializable;

/**
 * The settings that every task needs to score its partition, sent from the driver with it.
 *
 * @param modelPath the model file as executors see it (a shared file system path), or its
 *     file name when {@code shipped}
 * @param shipped whether the driver added the model file with {@code SparkContext.addFile}, so
 *     that executors find it through {@code SparkFiles.get}
 * @param modelSha256 hex SHA-256 of the model file, computed on the driver
 * @param batchSize images per backbone call
 * @param threads ONNX Runtime intra-op threads of each executor's backbone session
 * @param inputRoot the input folder that mask names are relative to, or null for a Parquet
 *     list, whose masks mirror each image's absolute path
 * @param masksDir folder for the mask PNG files, or null for none
 * @param failOnBadImage whether an unreadable image fails the task instead of giving an error
 *     row
 */
record ScoringSettings(
    String modelPath,
    boolean shipped,
    String modelSha256,
    int batchSize,
    int threads,
    String inputRoot,
    String masksDir,
    boolean failOnBadImage)
    implements Serializable {}
