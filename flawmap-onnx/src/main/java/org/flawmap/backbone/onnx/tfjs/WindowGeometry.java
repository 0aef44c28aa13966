package org.flawmap.backbone.onnx.tfjs;

/**
 * Output size and padding of a sliding window (convolution or pooling) under the Keras rules.
 *
 * <p>'valid' adds nothing: {@code out = floor((in - span) / stride) + 1} with
 * {@code span = (k - 1) * dilation + 1}. 'same' gives {@code out = ceil(in / stride)} and pads
 * {@code max((out - 1) * stride + span - in, 0)} pixels, half before and the rest, the odd one,
 * after (bottom and right), as TensorFlow does.
 */
final class WindowGeometry {

  private WindowGeometry() {}

  /**
   * Computes the output height and width.
   *
   * @param in input shape {@code [height, width, channels]}, before {@code pads}
   * @param pads {top, bottom, left, right} already applied to the input (by a folded
   *     ZeroPadding2D); 'same' padding is added to it in place
   * @return {@code [outHeight, outWidth]}
   */
  static int[] outputSize(KerasLayer layer, int[] in, int[] kernel, int[] strides,
      int[] dilation, int[] pads) {
    String padding = layer.string("padding");
    int[] out = new int[2];
    for (int axis = 0; axis < 2; axis++) {
      int size = in[axis] + pads[2 * axis] + pads[2 * axis + 1];
      int span = (kernel[axis] - 1) * dilation[axis] + 1;
      int stride = strides[axis];
      if (stride <= 0 || kernel[axis] <= 0 || dilation[axis] <= 0) {
        throw layer.invalid("kernel, strides and dilation must be positive");
      }
      if (padding.equals("valid")) {
        if (size < span) {
          throw layer.invalid("window of " + span + " pixels does not fit an input of " + size);
        }
        out[axis] = (size - span) / stride + 1;
      } else if (padding.equals("same")) {
        out[axis] = (size + stride - 1) / stride;
        int total = Math.max((out[axis] - 1) * stride + span - size, 0);
        pads[2 * axis] += total / 2;
        pads[2 * axis + 1] += total - total / 2;
      } else {
        throw layer.invalid("padding '" + padding + "' is not supported, only valid and same");
      }
    }
    return out;
  }
}
