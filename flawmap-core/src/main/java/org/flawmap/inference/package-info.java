/**
 * Scoring single images: batched decoding and backbone runs ({@link
 * org.flawmap.inference.BatchRunner}) and the step from features to a thresholded map at the
 * image's own resolution ({@link org.flawmap.inference.Inspector}).
 */
package org.flawmap.inference;
