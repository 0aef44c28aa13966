package org.flawmap.cli;

/** Thread counts for ONNX Runtime. */
final class Threads {

  private Threads() {}

  /** Returns the requested thread count, or all processors when none was given. */
  static int backbone(Integer requested) {
    if (requested == null) {
      return Runtime.getRuntime().availableProcessors();
    }
    if (requested < 1) {
      throw new IllegalArgumentException("--threads must be at least 1, found " + requested);
    }
    return requested;
  }

  /**
   * Returns the requested thread count, or half the processors (at least one) when none was
   * given: for predict, where decoding, scoring and writing run beside the backbone and need
   * cores of their own. On the 2-core benchmark machine one backbone thread predicted about 9%
   * more images per second than two (docs/benchmarks.md, batch prediction).
   */
  static int pipelinedBackbone(Integer requested) {
    if (requested == null) {
      return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }
    return backbone(requested);
  }
}
