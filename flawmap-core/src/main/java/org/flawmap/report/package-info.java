/**
 * Everything written for people and tools: metrics as JSON, CSV and text, threshold
 * comparisons, heat maps, masks and overlays as PNG, prediction tables. Every file is written
 * atomically through {@link org.flawmap.report.AtomicFiles}, except the append-only
 * {@link org.flawmap.report.PredictionJournal}, whose readers ignore a cut last line.
 */
package org.flawmap.report;
