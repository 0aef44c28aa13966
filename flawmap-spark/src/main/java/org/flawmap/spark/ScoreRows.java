package org.flawmap.spark;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.flawmap.inference.DefectRegions;
import org.flawmap.inference.Inspection;
import org.flawmap.model.Calibration;

/**
 * The output schema of {@link ScoreImagesJob}, one row per input image, and the rows
 * themselves. Scores are the model's raw units (Mahalanobis distance for PaDiM, nearest-patch
 * distance for PatchCore), the same numbers as in {@code predictions.jsonl}. Positions and
 * sizes are image pixels, origin at the top left. An unreadable image has only {@code path}
 * and {@code error} set.
 */
final class ScoreRows {

  /** A connected region of the predicted mask; see {@link DefectRegions.Region}. */
  static final StructType REGION =
      new StructType(
          new StructField[] {
            field("x", DataTypes.IntegerType, false),
            field("y", DataTypes.IntegerType, false),
            field("width", DataTypes.IntegerType, false),
            field("height", DataTypes.IntegerType, false),
            field("area", DataTypes.IntegerType, false),
            field("peak_score", DataTypes.DoubleType, false),
            field("peak_x", DataTypes.IntegerType, false),
            field("peak_y", DataTypes.IntegerType, false)
          });

  static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            field("path", DataTypes.StringType, false),
            field("image_score", DataTypes.DoubleType, true),
            field("normalized_score", DataTypes.DoubleType, true),
            field("label", DataTypes.StringType, true),
            field("image_threshold", DataTypes.DoubleType, true),
            field("pixel_threshold", DataTypes.DoubleType, true),
            field("defect_area", DataTypes.IntegerType, true),
            field("width", DataTypes.IntegerType, true),
            field("height", DataTypes.IntegerType, true),
            field("regions", DataTypes.createArrayType(REGION, false), true),
            field("mask", DataTypes.StringType, true),
            field("error", DataTypes.StringType, true)
          });

  static final String ANOMALOUS = "anomalous";
  static final String NORMAL = "normal";

  private ScoreRows() {}

  /**
   * Builds the row of a scored image.
   *
   * @param mask the written mask PNG, or null when no masks were requested
   */
  static Row scored(
      String path, int width, int height, Inspection inspection, Calibration calibration,
      String mask) {
    boolean[] predMask = inspection.predMask();
    int defectArea = 0;
    for (boolean p : predMask) {
      defectArea += p ? 1 : 0;
    }

    List<DefectRegions.Region> regions = DefectRegions.of(inspection);
    Row[] regionRows = new Row[regions.size()];
    for (int i = 0; i < regionRows.length; i++) {
      DefectRegions.Region r = regions.get(i);
      regionRows[i] =
          RowFactory.create(
              r.x(), r.y(), r.width(), r.height(), r.area(), r.peakScore(), r.peakX(),
              r.peakY());
    }

    return RowFactory.create(
        path,
        inspection.imageScore(),
        calibration.normalise(inspection.imageScore()),
        inspection.anomalous() ? ANOMALOUS : NORMAL,
        calibration.imageThreshold(),
        calibration.pixelThreshold(),
        defectArea,
        width,
        height,
        regionRows,
        mask,
        null);
  }

  /** Builds the row of an image that could not be read or decoded. */
  static Row failed(String path, String error) {
    return RowFactory.create(
        path, null, null, null, null, null, null, null, null, null, null, error);
  }

  private static StructField field(String name, org.apache.spark.sql.types.DataType type,
      boolean nullable) {
    return DataTypes.createStructField(name, type, nullable);
  }
}
