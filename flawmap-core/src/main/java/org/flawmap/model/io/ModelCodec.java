package org.flawmap.model.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.model.AnomalyModel;

/** Writes and reads the arrays and settings of one model type inside a model file. */
public interface ModelCodec {

  String type();

  /** Stores the model's settings in {@code config} and its arrays through {@code out}. */
  void write(AnomalyModel model, ObjectNode config, ModelArchive.Writer out) throws IOException;

  AnomalyModel read(JsonNode config, BackboneInfo backbone, ModelArchive.Reader in)
      throws IOException;
}
