package org.flawmap.backbone.onnx;

/**
 * An invalid backbone: a malformed {@code backbone.json}, a checksum mismatch, an ONNX model
 * whose inputs or outputs disagree with its descriptor, or a failure inside ONNX Runtime. The
 * message names the file and what to fix.
 */
public class BackboneException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public BackboneException(String message) {
    super(message);
  }

  public BackboneException(String message, Throwable cause) {
    super(message, cause);
  }
}
