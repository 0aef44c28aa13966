package org.flawmap.backbone.onnx.tfjs;

/**
 * Output size and padding of one spatial axis of a TensorFlow convolution or pooling window.
 *
 * <p>With {@code span = (kernel - 1) * dilation + 1}: VALID pads nothing and gives
 * {@code out = floor((size - span) / stride) + 1}. SAME gives {@code out = ceil(size / stride)}
 * and pads {@code total = max((out - 1) * stride + span - size, 0)} pixels, {@code total / 2}
 * before and the rest after, so an odd pixel goes to the bottom or right. ONNX's
 * {@code auto_pad=SAME_UPPER} means the same, but explicit pads keep the graph readable.
 *
 * @param before pixels added before the first row or column (top or left)
 * @param after pixels added after the last one (bottom or right)
 * @param output output size along the axis
 */
record TfPadding(int before, int after, int output) {

  /**
   * Computes the window geometry along one axis.
   *
   * @param padding {@code SAME} or {@code VALID}
   * @param size input size in pixels
   * @throws IllegalArgumentException if a value is not positive, the padding is unknown or a
   *     VALID window is larger than the input
   */
  static TfPadding of(String padding, int size, int kernel, int stride, int dilation) {
    if (size <= 0 || kernel <= 0 || stride <= 0 || dilation <= 0) {
      throw new IllegalArgumentException("size %d, kernel %d, stride %d and dilation %d must all"
          .formatted(size, kernel, stride, dilation) + " be positive");
    }
    int span = (kernel - 1) * dilation + 1;
    switch (padding) {
      case "VALID" -> {
        if (size < span) {
          throw new IllegalArgumentException("a VALID window of " + span
              + " pixels does not fit an input of " + size + " pixels");
        }
        return new TfPadding(0, 0, (size - span) / stride + 1);
      }
      case "SAME" -> {
        int output = (size + stride - 1) / stride;
        int total = Math.max((output - 1) * stride + span - size, 0);
        return new TfPadding(total / 2, total - total / 2, output);
      }
      default -> throw new IllegalArgumentException(
          "padding '" + padding + "' is not supported; expected SAME or VALID");
    }
  }

  /** Computes the geometry for explicit pads, as TensorFlow's EXPLICIT padding gives them. */
  static TfPadding explicit(int size, int kernel, int stride, int dilation, int before,
      int after) {
    TfPadding valid = of("VALID", size + before + after, kernel, stride, dilation);
    return new TfPadding(before, after, valid.output());
  }
}
