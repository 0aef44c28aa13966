/**
 * Backbones on ONNX Runtime: {@link org.flawmap.backbone.onnx.OnnxFeatureExtractor} loads a
 * folder with {@code model.onnx} and {@code backbone.json} (or the same bytes from a model file)
 * and checks the graph against the descriptor. The {@code tfjs} subpackage converts Keras tfjs
 * layers-models, such as the default MobileNetV2, into ONNX.
 */
package org.flawmap.backbone.onnx;
