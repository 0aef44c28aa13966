package org.flawmap.model.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.flawmap.model.AnomalyModel;
import org.flawmap.model.Calibration;

/**
 * Everything a model file holds, so that one file is enough to deploy a model.
 *
 * @param model the fitted model
 * @param calibration thresholds and normalisation
 * @param backboneOnnx the backbone's ONNX graph, byte for byte
 * @param backboneDescriptor the backbone's {@code backbone.json}, byte for byte
 * @param provenance dataset path and counts, seed, versions, time, split; free-form JSON
 */
public record ModelBundle(
    AnomalyModel model,
    Calibration calibration,
    byte[] backboneOnnx,
    byte[] backboneDescriptor,
    ObjectNode provenance) {}
