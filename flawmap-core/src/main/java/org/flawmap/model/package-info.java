/**
 * Fitted anomaly models: each turns one image's backbone features into an anomaly map at the
 * backbone's input resolution. Models are immutable once fitted; each model family has its own
 * subpackage with its fitter, model and model-file codec.
 */
package org.flawmap.model;
