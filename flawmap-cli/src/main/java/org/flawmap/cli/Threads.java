package org.flawmap.cli;

/** Thread counts for ONNX Runtime. */
final class Threads {

  private Threads() {}

  static int backbone(Integer requested) {
    if (requested == null) {
      return Runtime.getRuntime().availableProcessors();
    }
    if (requested < 1) {
      throw new IllegalArgumentException("--threads must be at least 1, found " + requested);
    }
    return requested;
  }
}
