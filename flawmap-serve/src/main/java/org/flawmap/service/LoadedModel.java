package org.flawmap.service;

import java.util.concurrent.atomic.AtomicInteger;
import org.flawmap.backbone.onnx.OnnxFeatureExtractor;
import org.flawmap.image.RgbImage;
import org.flawmap.inference.Inspection;
import org.flawmap.inference.Inspector;
import org.flawmap.model.Calibration;
import org.flawmap.model.io.ModelBundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model file opened for scoring, shared by the requests that started while it was current.
 * Each request {@link #retain retains} it and {@link #release releases} it when done; once the
 * model is {@link #retire retired} by a reload, the last release closes its ONNX Runtime session.
 */
public final class LoadedModel {

  private static final Logger log = LoggerFactory.getLogger(LoadedModel.class);

  private final ModelIdentity identity;
  private final ModelBundle bundle;
  private final OnnxFeatureExtractor extractor;
  private final Inspector inspector;

  /** Requests using this model, plus one while it is current; 0 means closed. */
  private final AtomicInteger references = new AtomicInteger(1);

  LoadedModel(ModelIdentity identity, ModelBundle bundle, OnnxFeatureExtractor extractor) {
    this.identity = identity;
    this.bundle = bundle;
    this.extractor = extractor;
    this.inspector = new Inspector(bundle.model(), bundle.calibration(), bundle.input());
  }

  public ModelIdentity identity() {
    return identity;
  }

  public Calibration calibration() {
    return bundle.calibration();
  }

  /**
   * Inspects one image along the path of {@code flawmap predict}: the model's input geometry
   * (one input, or the tiles of tile mode), the backbone, then {@link Inspector#inspect}.
   * {@code predict} feeds the same input arrays to the backbone through
   * {@link org.flawmap.inference.BatchRunner}.
   */
  public Inspection inspect(RgbImage image) {
    return inspector.inspect(image, extractor);
  }

  /** Takes a reference for one request; false when the model is already closed. */
  boolean retain() {
    while (true) {
      int current = references.get();
      if (current == 0) {
        return false;
      }
      if (references.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  /** Drops one request's reference, closing the model if it was the last one. */
  void release() {
    if (references.decrementAndGet() == 0) {
      log.info("Closing model generation {} ({}): it is retired and no request uses it",
          identity.generation(), identity.path());
      extractor.close();
    }
  }

  /** Drops the reference of being current; the model closes when its requests finish. */
  void retire() {
    release();
  }

  /** References held now: requests in progress, plus one while current. */
  int references() {
    return references.get();
  }

  boolean closed() {
    return references.get() == 0;
  }
}
