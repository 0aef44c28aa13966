package org.flawmap.inference;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.dataset.Mask;
import org.flawmap.dataset.Regions;

/**
 * The connected regions of a predicted mask, described for people and machines on the line:
 * bounding box, area and peak score of each. Deployment paths (predict, the HTTP service and
 * the Spark job) all report regions through this class, so that they agree.
 */
public final class DefectRegions {

  /**
   * One connected region of the predicted mask, 8-connected as in {@link Regions}.
   *
   * @param x left column of the bounding box, in image pixels
   * @param y top row of the bounding box
   * @param width bounding-box width in pixels
   * @param height bounding-box height in pixels
   * @param area pixels in the region
   * @param peakScore highest anomaly score inside the region
   * @param peakX column of that score
   * @param peakY row of that score
   */
  public record Region(
      int x, int y, int width, int height, int area, double peakScore, int peakX, int peakY) {}

  private DefectRegions() {}

  /**
   * Finds the regions of {@code inspection}'s predicted mask, largest peak score first; ties
   * keep the order of the region's first pixel in raster order.
   */
  public static List<Region> of(Inspection inspection) {
    AnomalyMap map = inspection.anomalyMap();
    return of(map, inspection.predMask());
  }

  /**
   * Finds the regions where {@code mask} is set.
   *
   * @param map scores at image resolution, width × height
   * @param mask width × height flags in raster order
   */
  public static List<Region> of(AnomalyMap map, boolean[] mask) {
    int width = map.width();
    int height = map.height();
    if (mask.length != width * height) {
      throw new IllegalArgumentException(
          "mask has %d pixels but the map is %d × %d".formatted(mask.length, width, height));
    }
    Regions regions = Regions.of(new Mask(width, height, mask));
    int n = regions.count();
    int[] minX = new int[n + 1];
    int[] minY = new int[n + 1];
    int[] maxX = new int[n + 1];
    int[] maxY = new int[n + 1];
    int[] peakAt = new int[n + 1];
    java.util.Arrays.fill(minX, Integer.MAX_VALUE);
    java.util.Arrays.fill(minY, Integer.MAX_VALUE);
    java.util.Arrays.fill(peakAt, -1);

    float[] values = map.values();
    int[] labels = regions.labels();
    for (int p = 0; p < labels.length; p++) {
      int r = labels[p];
      if (r == 0) {
        continue;
      }
      int px = p % width;
      int py = p / width;
      minX[r] = Math.min(minX[r], px);
      minY[r] = Math.min(minY[r], py);
      maxX[r] = Math.max(maxX[r], px);
      maxY[r] = Math.max(maxY[r], py);
      if (peakAt[r] < 0 || values[p] > values[peakAt[r]]) {
        peakAt[r] = p;
      }
    }

    List<Region> out = new ArrayList<>(n);
    for (int r = 1; r <= n; r++) {
      int p = peakAt[r];
      out.add(new Region(minX[r], minY[r], maxX[r] - minX[r] + 1, maxY[r] - minY[r] + 1,
          regions.areas()[r], values[p], p % width, p / width));
    }
    // A stable sort keeps raster order among equal peaks.
    Collections.sort(out, (a, b) -> Double.compare(b.peakScore(), a.peakScore()));
    return out;
  }
}
