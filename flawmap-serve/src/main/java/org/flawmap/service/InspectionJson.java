package org.flawmap.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.flawmap.image.RgbImage;
import org.flawmap.inference.DefectRegions;
import org.flawmap.inference.Inspection;
import org.flawmap.model.Calibration;
import org.flawmap.report.MapImages;

/** Builds the JSON bodies of the service: inspection results, model identity and errors. */
final class InspectionJson {

  static final ObjectMapper JSON = new ObjectMapper();

  /** Optional parts of an inspection response, named in {@code ?include=}. */
  static final Set<String> INCLUDES = Set.of("mask", "overlay", "heatmap");

  private InspectionJson() {}

  /**
   * Describes one inspection. Scores are the model's raw units (Mahalanobis distance for PaDiM,
   * nearest-patch distance for PatchCore); areas are in pixels of the uploaded image.
   */
  static ObjectNode inspection(
      String requestId, LoadedModel model, RgbImage image, Inspection inspection,
      Set<String> include) throws IOException {
    boolean[] mask = inspection.predMask();
    int defectPixels = 0;
    for (boolean set : mask) {
      defectPixels += set ? 1 : 0;
    }
    Calibration calibration = model.calibration();

    ObjectNode out = JSON.createObjectNode();
    out.put("request_id", requestId);
    out.put("image_score", inspection.imageScore());
    out.put("label", inspection.anomalous() ? "anomalous" : "normal");
    out.put("image_threshold", calibration.imageThreshold());
    out.put("pixel_threshold", inspection.pixelThreshold());
    out.put("width", image.width());
    out.put("height", image.height());
    out.put("defect_pixels", defectPixels);
    out.put("defect_fraction", (double) defectPixels / mask.length);
    putRegions(out.putArray("regions"), DefectRegions.of(inspection.anomalyMap(), mask));
    out.set("model", identity(model.identity()));

    if (include.contains("mask")) {
      out.put("mask_png", png(MapImages.mask(mask, image.width(), image.height())));
    }
    if (include.contains("overlay")) {
      out.put("overlay_png",
          png(MapImages.overlay(image, inspection.anomalyMap(), mask, null, calibration)));
    }
    if (include.contains("heatmap")) {
      out.put("heatmap_png", png(MapImages.heatMap(inspection.anomalyMap(), calibration)));
    }
    return out;
  }

  static ObjectNode identity(ModelIdentity identity) {
    ObjectNode out = JSON.createObjectNode();
    out.put("type", identity.modelType());
    out.put("backbone", identity.backbone());
    out.put("input_mode", identity.inputMode());
    out.put("sha256", identity.sha256());
    out.put("path", identity.path());
    out.put("generation", identity.generation());
    out.put("loaded_at", identity.loadedAt().toString());
    return out;
  }

  static ObjectNode error(String code, String message, String requestId) {
    ObjectNode out = JSON.createObjectNode();
    out.put("error", code);
    out.put("message", message);
    out.put("request_id", requestId);
    return out;
  }

  private static void putRegions(ArrayNode array, List<DefectRegions.Region> regions) {
    for (DefectRegions.Region r : regions) {
      ObjectNode node = array.addObject();
      ObjectNode box = node.putObject("box");
      box.put("x", r.x());
      box.put("y", r.y());
      box.put("width", r.width());
      box.put("height", r.height());
      node.put("area", r.area());
      node.put("peak_score", r.peakScore());
      node.put("peak_x", r.peakX());
      node.put("peak_y", r.peakY());
    }
  }

  private static String png(BufferedImage image) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    if (!ImageIO.write(image, "png", bytes)) {
      throw new IOException("no PNG writer in this Java runtime");
    }
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }
}
