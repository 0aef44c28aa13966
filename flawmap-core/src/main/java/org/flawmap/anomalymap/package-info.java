/**
 * Anomaly maps and the operations every model shares on them: bilinear resizing with
 * pixel-centre alignment and Gaussian smoothing. A map depends on its own image only.
 */
package org.flawmap.anomalymap;
