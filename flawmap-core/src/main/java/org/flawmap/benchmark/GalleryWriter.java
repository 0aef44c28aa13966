package org.flawmap.benchmark;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flawmap.backbone.FeatureExtractor;
import org.flawmap.dataset.Sample;
import org.flawmap.engine.DatasetSession;
import org.flawmap.image.RgbImage;
import org.flawmap.inference.Inspection;
import org.flawmap.inference.Inspector;
import org.flawmap.model.AnomalyModel;
import org.flawmap.model.Calibration;
import org.flawmap.report.MapImages;

/**
 * Writes the gallery of one cell: for each picked image, thumbnails (at most {@link #SIZE}
 * pixels a side) of the image, its ground truth, its heat map and its predicted mask, under
 * {@code OUTPUT/gallery/CELL/}, and one JSON entry each.
 */
final class GalleryWriter {

  static final int SIZE = 192;

  private GalleryWriter() {}

  static void write(
      Path output,
      CellKey key,
      List<Gallery.Pick> picks,
      DatasetSession session,
      FeatureExtractor extractor,
      AnomalyModel model,
      Calibration calibration,
      ArrayNode entries)
      throws Exception {
    Map<String, Gallery.Pick> byId = new HashMap<>();
    picks.forEach(p -> byId.put(p.candidate().id(), p));
    List<Sample> samples =
        session.split().test().stream().filter(s -> byId.containsKey(s.id())).toList();
    Inspector inspector = new Inspector(model, calibration, session.input());
    String folder = "gallery/" + key.fileName() + "/";
    Map<String, ObjectNode> written = new HashMap<>();
    int[] counter = {0};
    session.streamImages(
        "gallery " + key,
        samples,
        extractor,
        (loaded, features) -> {
          Inspection inspection = inspector.inspect(loaded.image(), features);
          Gallery.Pick pick = byId.get(loaded.sample().id());
          String stem = folder + (counter[0]++) + "-" + pick.kind();
          ObjectNode entry = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
              .objectNode();
          entry.put("kind", pick.kind());
          entry.put("id", loaded.sample().id());
          double iou = pick.candidate().iou();
          if (Double.isNaN(iou)) {
            entry.putNull("iou");
          } else {
            entry.put("iou", iou);
          }
          entry.put("image_score", inspection.imageScore());
          RgbImage image = loaded.image();
          entry.put("image", png(output, stem + ".image.png", rgb(image)));
          if (loaded.mask() != null && !loaded.maskEmpty()) {
            entry.put("gt", png(output, stem + ".gt.png",
                MapImages.mask(loaded.mask().pixels(), image.width(), image.height())));
          } else {
            entry.putNull("gt");
          }
          entry.put("map", png(output, stem + ".map.png",
              MapImages.heatMap(inspection.anomalyMap(), calibration)));
          entry.put("mask", png(output, stem + ".mask.png",
              MapImages.mask(inspection.predMask(), image.width(), image.height())));
          written.put(loaded.sample().id(), entry);
        });
    // Keep the picking order (worst, best, false positives) rather than the dataset order.
    for (Gallery.Pick p : picks) {
      ObjectNode entry = written.get(p.candidate().id());
      if (entry != null) {
        entries.add(entry);
      }
    }
  }

  private static String png(Path output, String relative, BufferedImage image) throws Exception {
    MapImages.writePng(output.resolve(relative), thumbnail(image));
    return relative;
  }

  private static BufferedImage rgb(RgbImage image) {
    BufferedImage out =
        new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
    byte[] rgb = image.rgb();
    for (int i = 0; i < image.width() * image.height(); i++) {
      int colour = ((rgb[3 * i] & 0xff) << 16) | ((rgb[3 * i + 1] & 0xff) << 8)
          | (rgb[3 * i + 2] & 0xff);
      out.setRGB(i % image.width(), i / image.width(), colour);
    }
    return out;
  }

  static BufferedImage thumbnail(BufferedImage image) {
    double scale = Math.min(1.0, (double) SIZE / Math.max(image.getWidth(), image.getHeight()));
    if (scale == 1.0) {
      return image;
    }
    int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
    int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
        RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(image, 0, 0, w, h, null);
    g.dispose();
    return out;
  }
}
