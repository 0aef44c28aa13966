/**
 * Frozen feature extractors, second stage of the pipeline. A {@link
 * org.flawmap.backbone.FeatureExtractor} takes preprocessed CHW inputs and returns one CHW
 * feature map per stage; implementations live in other modules (ONNX Runtime in flawmap-onnx)
 * so that this module has no native dependency.
 */
package org.flawmap.backbone;
