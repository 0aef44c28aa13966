package org.flawmap.backbone;

/**
 * One backbone output used as features.
 *
 * @param name output name in the backbone graph, for example {@code block_2_add}
 * @param channels number of channels
 * @param stride input pixels per feature cell
 */
public record StageInfo(String name, int channels, int stride) {}
