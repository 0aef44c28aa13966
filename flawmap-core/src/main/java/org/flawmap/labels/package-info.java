/**
 * Product-independent defect labels: a general category and a background per anomalous image,
 * so that results can be compared across products.
 *
 * <p>{@link org.flawmap.labels.LabelFile} reads and writes the label CSV,
 * {@link org.flawmap.labels.LabelValidator} matches it to a dataset and returns
 * {@link org.flawmap.labels.Labels}, whose {@code groupsOf} gives the report groups, and
 * {@link org.flawmap.labels.LabelSuggester} drafts a label file from the defect types and masks.
 * The rules are collected in {@code docs/labels.md}.
 */
package org.flawmap.labels;
