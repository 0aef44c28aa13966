package org.flawmap.benchmark;

import java.io.IOException;
import org.flawmap.backbone.FeatureExtractor;

/** Opens backbones by name or folder; the command line supplies the ONNX Runtime one. */
@FunctionalInterface
public interface BackboneProvider {

  /** Opens a backbone; the caller closes the extractor. */
  FeatureExtractor open(String nameOrFolder) throws IOException;
}
