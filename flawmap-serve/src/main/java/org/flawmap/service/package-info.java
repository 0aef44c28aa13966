/**
 * The HTTP inspection service behind {@code flawmap serve}: Jetty 12 routes {@code POST
 * /v1/inspect} through the same inference path as {@code flawmap predict} ({@link
 * org.flawmap.inference.Inspector} on {@link org.flawmap.backbone.onnx.OnnxFeatureExtractor}
 * features), with request limits, JSON errors, Prometheus metrics and model reload.
 */
package org.flawmap.service;
