package org.flawmap.backbone.onnx.tfjs;

/**
 * Decodes IEEE 754 binary16 values, the storage type of tfjs weights quantized to float16.
 *
 * <p>Java 17 has no {@code Float.float16ToFloat} (it arrived in Java 20), so the bits are
 * rearranged by hand: 1 sign bit, 5 exponent bits with bias 15, 10 mantissa bits. Every binary16
 * value, subnormals, infinities and NaN included, is exactly representable as a float.
 */
final class Float16 {

  private Float16() {}

  /** Converts the 16 low bits of {@code bits} to the float of the same value. */
  static float toFloat(int bits) {
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1F;
    int mantissa = bits & 0x3FF;

    if (exponent == 0x1F) {
      // Infinity keeps a zero mantissa; NaN keeps its payload in the top mantissa bits.
      return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13));
    }
    if (exponent == 0) {
      if (mantissa == 0) {
        return Float.intBitsToFloat(sign);
      }
      // Subnormal: shift the mantissa up until its leading one reaches the implicit position.
      int shift = Integer.numberOfLeadingZeros(mantissa) - 21;
      mantissa = (mantissa << shift) & 0x3FF;
      exponent = 1 - shift;
    }
    int floatExponent = exponent - 15 + 127;
    return Float.intBitsToFloat(sign | (floatExponent << 23) | (mantissa << 13));
  }
}
