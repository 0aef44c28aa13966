/**
 * The benchmark report: {@link org.flawmap.report.html.BenchmarkResults} is the record model of
 * a benchmark's {@code results.json}, and {@link org.flawmap.report.html.BenchmarkHtml} turns it
 * into one self-contained {@code report.html} with tables, inline SVG plots and embedded
 * gallery images.
 */
package org.flawmap.report.html;
