package org.flawmap.dataset;

/**
 * Connected defect regions of a mask, with 8-connectivity (diagonal neighbours join), as the
 * MVTec AD evaluation labels ground-truth regions for the per-region overlap (AUPRO).
 *
 * @param labels per pixel, 0 for background and 1..count for the region it belongs to
 * @param count number of regions
 * @param areas pixel count of each region, indexed by label (index 0 unused)
 */
public record Regions(int width, int height, int[] labels, int count, int[] areas) {

  /** Labels the connected regions of {@code mask} with an iterative flood fill. */
  public static Regions of(Mask mask) {
    int width = mask.width();
    int height = mask.height();
    boolean[] on = mask.pixels();
    int[] labels = new int[on.length];
    int[] stack = new int[on.length];
    int count = 0;
    int[] areas = new int[16];

    for (int start = 0; start < on.length; start++) {
      if (!on[start] || labels[start] != 0) {
        continue;
      }
      count++;
      if (count >= areas.length) {
        areas = java.util.Arrays.copyOf(areas, areas.length * 2);
      }
      int top = 0;
      stack[top++] = start;
      labels[start] = count;
      int area = 0;
      while (top > 0) {
        int p = stack[--top];
        area++;
        int px = p % width;
        int py = p / width;
        for (int dy = -1; dy <= 1; dy++) {
          int y = py + dy;
          if (y < 0 || y >= height) {
            continue;
          }
          for (int dx = -1; dx <= 1; dx++) {
            int x = px + dx;
            if (x < 0 || x >= width) {
              continue;
            }
            int q = y * width + x;
            if (on[q] && labels[q] == 0) {
              labels[q] = count;
              stack[top++] = q;
            }
          }
        }
      }
      areas[count] = area;
    }
    return new Regions(width, height, labels, count, java.util.Arrays.copyOf(areas, count + 1));
  }
}
