package org.flawmap.backbone.onnx.tfjs;

import java.util.Arrays;

/**
 * A constant of a tfjs graph-model, decoded from the weight file.
 *
 * @param name weight name, which is also the name of its Const node
 * @param shape TensorFlow shape, row-major with the last axis fastest; empty for a scalar
 * @param dtype the manifest's {@code dtype}: {@code float32} or {@code int32}
 * @param values the elements as floats; int32 values are exact up to 2^24
 */
record GraphModelTensor(String name, int[] shape, String dtype, float[] values) {

  /** Number of elements, the product of the shape (1 for a scalar). */
  static int size(int[] shape) {
    int size = 1;
    for (int dim : shape) {
      size = Math.multiplyExact(size, dim);
    }
    return size;
  }

  @Override
  public String toString() {
    return name + " " + dtype + Arrays.toString(shape);
  }
}
