/**
 * The jobs that run the pipeline over a dataset: fitting on training images, calibration on the
 * validation split, and evaluation on the test split. The command line and any other front end
 * call these, so every path computes the same scores.
 */
package org.flawmap.engine;
