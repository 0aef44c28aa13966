/**
 * Everything written for people and tools: metrics as JSON, CSV and text, threshold
 * comparisons, heat maps, masks and overlays as PNG. Every file is written atomically through
 * {@link org.flawmap.report.AtomicFiles}.
 */
package org.flawmap.report;
