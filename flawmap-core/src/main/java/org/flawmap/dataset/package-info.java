/**
 * Dataset layouts, file listing, on-demand loading and validation splits.
 *
 * <p>A {@link org.flawmap.dataset.DatasetReader} lists the files of one product without decoding
 * them. {@link org.flawmap.dataset.SampleLoader} decodes one sample at a time and applies the
 * {@link org.flawmap.dataset.OnBadFile} policy, and {@link org.flawmap.dataset.ValidationSplit}
 * carves a seeded validation set out of the test images. The rules are collected in
 * {@code docs/datasets.md}.
 */
package org.flawmap.dataset;
