/**
 * Feature handling shared by the trainable models: resampling the backbone stages to one grid
 * ({@link org.flawmap.djl.features.FeatureGrid}), per-channel normalisation
 * ({@link org.flawmap.djl.features.ChannelStats}), the grids a fitter keeps until it trains
 * ({@link org.flawmap.djl.features.GridSamples}), and turning a grid map into an input-sized
 * anomaly map ({@link org.flawmap.anomalymap.InputMap}).
 */
package org.flawmap.djl.features;
