package org.flawmap.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the prediction rows of a run, in input order, as {@code predictions.csv} and
 * {@code predictions.jsonl}. Both files are written atomically, so a reader never sees a
 * partial table.
 *
 * <p>The CSV has a header line and one line per image with the columns of {@link #COLUMNS};
 * a column absent from a row (the PNG names under {@code --no-images}) is empty. Fields are
 * quoted as RFC 4180 describes when they contain a comma, a quote or a line break.
 */
public final class PredictionTable {

  /** CSV columns, named as the JSON fields of {@link PredictionWriter#line}. */
  public static final List<String> COLUMNS =
      List.of(
          "image", "image_score", "normalized_score", "label", "defect_pixels", "width",
          "height", "pixel_threshold", "image_threshold", "map", "mask", "overlay");

  private static final ObjectMapper JSON = new ObjectMapper();

  private PredictionTable() {}

  /** Writes both files into {@code folder} and returns the CSV's path. */
  public static Path write(Path folder, List<ObjectNode> rows) throws IOException {
    StringBuilder csv = new StringBuilder(String.join(",", COLUMNS)).append('\n');
    StringBuilder jsonl = new StringBuilder();
    for (ObjectNode row : rows) {
      for (int c = 0; c < COLUMNS.size(); c++) {
        if (c > 0) {
          csv.append(',');
        }
        var value = row.get(COLUMNS.get(c));
        csv.append(value == null || value.isNull() ? "" : quote(value.asText()));
      }
      csv.append('\n');
      jsonl.append(JSON.writeValueAsString(row)).append('\n');
    }
    Path csvFile = folder.resolve("predictions.csv");
    AtomicFiles.writeString(csvFile, csv.toString());
    AtomicFiles.writeString(folder.resolve("predictions.jsonl"), jsonl.toString());
    return csvFile;
  }

  static String quote(String field) {
    if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0
        && field.indexOf('\r') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }
}
