package org.flawmap.anomalymap;

/**
 * Bilinear resizing of score grids with pixel-centre alignment: destination pixel {@code x}
 * samples source coordinate {@code (x + 0.5) * srcWidth / dstWidth - 0.5}, clamped to the
 * edge. This is PyTorch's {@code interpolate(mode="bilinear", align_corners=False)}, which is
 * how PaDiM and PatchCore bring patch scores to image resolution.
 */
public final class MapResize {

  private MapResize() {}

  public static AnomalyMap bilinear(AnomalyMap source, int width, int height) {
    if (source.width() == width && source.height() == height) {
      return source;
    }
    return new AnomalyMap(
        width, height, bilinear(source.values(), source.width(), source.height(), width, height));
  }

  /** Resizes a row-major {@code srcWidth × srcHeight} grid to {@code dstWidth × dstHeight}. */
  public static float[] bilinear(
      float[] src, int srcWidth, int srcHeight, int dstWidth, int dstHeight) {
    int[] x0 = new int[dstWidth];
    int[] x1 = new int[dstWidth];
    float[] fx = new float[dstWidth];
    axisWeights(srcWidth, dstWidth, x0, x1, fx);
    int[] y0 = new int[dstHeight];
    int[] y1 = new int[dstHeight];
    float[] fy = new float[dstHeight];
    axisWeights(srcHeight, dstHeight, y0, y1, fy);

    float[] dst = new float[dstWidth * dstHeight];
    float[] rowTop = new float[dstWidth];
    float[] rowBottom = new float[dstWidth];
    for (int y = 0; y < dstHeight; y++) {
      interpolateRow(src, y0[y] * srcWidth, x0, x1, fx, rowTop);
      interpolateRow(src, y1[y] * srcWidth, x0, x1, fx, rowBottom);
      float wy = fy[y];
      int offset = y * dstWidth;
      for (int x = 0; x < dstWidth; x++) {
        dst[offset + x] = rowTop[x] + wy * (rowBottom[x] - rowTop[x]);
      }
    }
    return dst;
  }

  private static void interpolateRow(
      float[] src, int rowStart, int[] x0, int[] x1, float[] fx, float[] out) {
    for (int x = 0; x < out.length; x++) {
      float left = src[rowStart + x0[x]];
      float right = src[rowStart + x1[x]];
      out[x] = left + fx[x] * (right - left);
    }
  }

  private static void axisWeights(int srcSize, int dstSize, int[] i0, int[] i1, float[] frac) {
    double scale = (double) srcSize / dstSize;
    for (int d = 0; d < dstSize; d++) {
      double s = Math.max(0.0, (d + 0.5) * scale - 0.5);
      int lower = Math.min((int) Math.floor(s), srcSize - 1);
      i0[d] = lower;
      i1[d] = Math.min(lower + 1, srcSize - 1);
      frac[d] = (float) (s - lower);
    }
  }
}
