package org.flawmap.model.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.flawmap.model.AnomalyModel;
import org.flawmap.model.Calibration;
import org.flawmap.inference.InputMode;
import org.flawmap.inference.InputSettings;

/**
 * Everything a model file holds, so that one file is enough to deploy a model.
 *
 * @param model the fitted model
 * @param calibration thresholds and normalisation
 * @param backboneOnnx the backbone's ONNX graph, byte for byte
 * @param backboneDescriptor the backbone's {@code backbone.json}, byte for byte
 * @param provenance dataset path and counts, seed, versions, time, split; free-form JSON
 * @param input how images were fitted into the backbone's input when the model was fitted: the
 *     input mode and, in tile mode, the tile scale and overlap
 */
public record ModelBundle(
    AnomalyModel model,
    Calibration calibration,
    byte[] backboneOnnx,
    byte[] backboneDescriptor,
    ObjectNode provenance,
    InputSettings input) {

  public ModelBundle {
    java.util.Objects.requireNonNull(input, "input");
  }

  /** A bundle with {@code inputMode} and, in tile mode, the default tile settings. */
  public ModelBundle(
      AnomalyModel model,
      Calibration calibration,
      byte[] backboneOnnx,
      byte[] backboneDescriptor,
      ObjectNode provenance,
      InputMode inputMode) {
    this(model, calibration, backboneOnnx, backboneDescriptor, provenance,
        InputSettings.of(inputMode));
  }

  public InputMode inputMode() {
    return input.mode();
  }

  /** A bundle with {@link InputMode#RESIZE}, the mode of files written before it was recorded. */
  public ModelBundle(
      AnomalyModel model,
      Calibration calibration,
      byte[] backboneOnnx,
      byte[] backboneDescriptor,
      ObjectNode provenance) {
    this(model, calibration, backboneOnnx, backboneDescriptor, provenance, InputSettings.RESIZE);
  }
}
