package org.flawmap.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.flawmap.dataset.Mask;
import org.flawmap.image.RgbImage;
import org.flawmap.inference.Inspection;
import org.flawmap.model.Calibration;

/**
 * Writes the outputs of predicted images: {@code NAME.map.png} (heat map of normalised scores),
 * {@code NAME.mask.png} (predicted mask, 255 on defects) and {@code NAME.overlay.png} (both on
 * the image, predicted outline red, ground truth green), and collects one JSON line per image
 * for {@code predictions.jsonl}.
 */
public final class PredictionWriter {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path folder;
  private final Calibration calibration;
  private final boolean images;
  private final List<String> lines = new ArrayList<>();

  /**
   * @param images whether to write the PNG files; the JSON lines are always collected
   */
  public PredictionWriter(Path folder, Calibration calibration, boolean images) {
    this.folder = folder;
    this.calibration = calibration;
    this.images = images;
  }

  /**
   * Writes one image's outputs.
   *
   * @param name output name relative to the folder, without extension, with forward slashes
   * @param source the input file, recorded in the JSON line
   * @param gtMask ground truth for the overlay, or null
   */
  public synchronized ObjectNode write(
      String name, Path source, RgbImage image, Inspection inspection, Mask gtMask)
      throws IOException {
    boolean[] predMask = inspection.predMask();
    ObjectNode line = line(source, image, inspection, predMask);
    writeImages(name, image, inspection, predMask, gtMask, line);
    lines.add(JSON.writeValueAsString(line));
    return line;
  }

  /**
   * Returns one image's prediction row, without writing anything.
   *
   * @param predMask {@link Inspection#predMask} of {@code inspection}, image-sized
   */
  public ObjectNode line(
      Path source, RgbImage image, Inspection inspection, boolean[] predMask) {
    int defectPixels = 0;
    for (boolean p : predMask) {
      defectPixels += p ? 1 : 0;
    }
    ObjectNode line = JSON.createObjectNode();
    line.put("image", source.toString());
    line.put("image_score", inspection.imageScore());
    line.put("normalized_score", calibration.normalise(inspection.imageScore()));
    line.put("label", inspection.anomalous() ? "anomalous" : "normal");
    line.put("pixel_threshold", calibration.pixelThreshold());
    line.put("image_threshold", calibration.imageThreshold());
    line.put("defect_pixels", defectPixels);
    line.put("width", image.width());
    line.put("height", image.height());
    return line;
  }

  /**
   * Writes the PNG files of one image, each atomically, and adds their names to {@code line};
   * does nothing when this writer was made without images. Unlike {@link #write}, it keeps no
   * state here, so several threads may call it at once for different names.
   *
   * @throws IOException naming the file that failed
   */
  public void writeImages(
      String name, RgbImage image, Inspection inspection, boolean[] predMask, Mask gtMask,
      ObjectNode line) throws IOException {
    if (!images) {
      return;
    }
    var map = inspection.anomalyMap();
    byte[] heat = MapImages.heatLevels(map, calibration);
    writePng(file(name, "map"), MapImages.heatMap(heat, map.width(), map.height()));
    writePng(file(name, "mask"), MapImages.mask(predMask, image.width(), image.height()));
    writePng(
        file(name, "overlay"),
        MapImages.overlay(image, heat, predMask, gtMask == null ? null : gtMask.pixels()));
    line.put("map", name + ".map.png");
    line.put("mask", name + ".mask.png");
    line.put("overlay", name + ".overlay.png");
  }

  private static void writePng(Path file, java.awt.image.BufferedImage png) throws IOException {
    try {
      MapImages.writePng(file, png);
    } catch (IOException e) {
      throw new IOException("cannot write " + file + ": " + e, e);
    }
  }

  private Path file(String name, String kind) {
    return folder.resolve(name + "." + kind + ".png");
  }

  /** Writes {@code predictions.jsonl} with every line so far, atomically. */
  public synchronized Path finish() throws IOException {
    Path file = folder.resolve("predictions.jsonl");
    StringBuilder text = new StringBuilder();
    for (String line : lines) {
      text.append(line).append('\n');
    }
    AtomicFiles.write(file, out -> out.write(text.toString().getBytes(StandardCharsets.UTF_8)));
    return file;
  }
}
