package org.flawmap.report.html;

import java.util.List;
import java.util.Map;
import org.flawmap.report.html.BenchmarkResults.Cell;
import org.flawmap.report.html.BenchmarkResults.GalleryItem;

/**
 * The example images of one product and model: per cell, the worst and best test images by IoU
 * and false positives on normal images, each shown as image, ground truth, anomaly map and
 * predicted mask side by side.
 */
final class GallerySection {

  private static final Map<String, String> KIND_TITLES = Map.of(
      "worst", "Worst by IoU",
      "best", "Best by IoU",
      "false_positive", "False positives on normal images");

  private GallerySection() {}

  /** Writes the gallery of {@code cells}, which share one product and model. */
  static void write(Html html, List<Cell> cells, Outline outline, ImageEmbedder images) {
    Cell first = cells.get(0);
    outline.heading(html, 3, "Gallery: " + first.model(), "gallery", first.product(),
        first.model());
    for (Cell cell : cells) {
      if (cells.size() > 1) {
        outline.heading(html, 4, "Gallery: " + cell.model() + " / " + cell.backbone()
            + " / seed " + cell.seed(), "gallery", cell.product(), cell.model(),
            cell.backbone(), Long.toString(cell.seed()));
      } else {
        html.element("p", "Backbone " + cell.backbone() + ", seed " + cell.seed() + ".",
            "class", "note");
      }
      if (cell.gallery().isEmpty()) {
        html.element("p", "No gallery images in results.json for this cell.", "class", "note");
        continue;
      }
      if (cell.defaultEstimator() != null) {
        html.element("p", "Predicted masks and IoU use the threshold of "
            + cell.defaultEstimator() + ".", "class", "note");
      }
      for (String kind : ResultsValidator.GALLERY_KINDS) {
        List<GalleryItem> items =
            cell.gallery().stream().filter(item -> item.kind().equals(kind)).toList();
        if (!items.isEmpty()) {
          html.element("h5", KIND_TITLES.get(kind));
          html.open("div", "class", "gallery");
          items.forEach(item -> writeItem(html, item, images));
          html.close("div").newline();
        }
      }
    }
  }

  private static void writeItem(Html html, GalleryItem item, ImageEmbedder images) {
    html.open("figure", "class", "item").open("div", "class", "panels");
    writePanel(html, images, item.image(), "image", item.id());
    writePanel(html, images, item.gt(), "ground truth", item.id());
    writePanel(html, images, item.map(), "anomaly map", item.id());
    writePanel(html, images, item.mask(), "predicted mask", item.id());
    html.close("div");

    html.open("figcaption").element("code", item.id()).text(" · IoU ");
    if (item.iou() == null) {
      html.na("no IoU: a normal image has no defect pixels to overlap (null in results.json)");
    } else {
      html.text(Html.fixed(item.iou(), 4));
    }
    html.text(" · image score ");
    if (item.imageScore() == null) {
      html.na("null in results.json");
    } else {
      html.text(Html.significant(item.imageScore()));
    }
    html.close("figcaption").close("figure").newline();
  }

  private static void writePanel(
      Html html, ImageEmbedder images, String path, String label, String id) {
    html.open("div", "class", "panel");
    if (path == null) {
      html.element("span", "no " + label, "class", "no-image",
          "title", "null in results.json; normal images have no ground-truth mask");
    } else {
      images.writeImage(html, path, label + " of " + id);
    }
    html.element("span", label);
    html.close("div");
  }
}
