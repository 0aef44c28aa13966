package org.flawmap.backbone.onnx.tfjs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brute-force Keras forward pass in NHWC and double precision, straight from the topology and
 * the raw weight bytes, to check the ONNX conversion against.
 *
 * <p>It shares nothing with the converter beyond {@link TfjsLayersModel}'s parsing of the files:
 * it recomputes the byte offsets and dequantizes itself, indexes Keras kernels in their own
 * {@code [kh, kw, in, out]} order, pads explicitly and applies BatchNormalization as written.
 */
final class KerasReference {

  /** One activation without the batch: {@code shape} is [h, w, c] or [units]. */
  record Tensor(int[] shape, double[] data) {

    double at(int y, int x, int c) {
      return data[(y * shape[1] + x) * shape[2] + c];
    }
  }

  private final TfjsLayersModel model;
  private final Map<String, double[]> weights = new HashMap<>();

  KerasReference(TfjsLayersModel model) {
    this.model = model;
    byte[] bytes = model.weightData();
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long offset = 0;
    for (TfjsLayersModel.WeightSpec spec : model.weightSpecs()) {
      assertEquals(offset, spec.offset(), "offset of " + spec.name());
      int count = 1;
      for (int dim : spec.shape()) {
        count *= dim;
      }
      double[] values = new double[count];
      for (int i = 0; i < count; i++) {
        int at = (int) offset;
        values[i] = switch (spec.dtype()) {
          case "uint8" -> (float) (spec.min() + spec.scale() * (bytes[at + i] & 0xFF));
          case "uint16" -> (float) (spec.min() + spec.scale()
              * (buffer.getShort(at + 2 * i) & 0xFFFF));
          default -> buffer.getFloat(at + 4 * i);
        };
      }
      offset += (long) count * (spec.dtype().equals("uint8") ? 1
          : spec.dtype().equals("uint16") ? 2 : 4);
      weights.put(spec.name(), values);
    }
  }

  /**
   * Runs the network on one HWC image and returns the outputs of the named layers.
   *
   * @param hwc input values, {@code [(y * width + x) * channels + c]}
   */
  Map<String, Tensor> run(float[] hwc, int height, int width, Set<String> requested) {
    Map<String, Tensor> outputs = new HashMap<>();
    Map<String, Tensor> selected = new HashMap<>();
    for (KerasLayer layer : model.layers()) {
      Tensor result;
      if (layer.className().equals("InputLayer")) {
        double[] data = new double[hwc.length];
        for (int i = 0; i < data.length; i++) {
          data[i] = hwc[i];
        }
        result = new Tensor(new int[] {height, width, hwc.length / (height * width)}, data);
      } else {
        result = apply(layer, layer.inbound().stream().map(outputs::get).toList());
      }
      outputs.put(layer.name(), result);
      if (requested.contains(layer.name())) {
        selected.put(layer.name(), result);
      }
    }
    return selected;
  }

  private Tensor apply(KerasLayer layer, List<Tensor> in) {
    Tensor x = in.get(0);
    return switch (layer.className()) {
      case "ZeroPadding2D" -> zeroPad(x, padding(layer.config().get("padding")));
      case "Conv2D" -> activation(layer.has("activation") ? layer.string("activation")
          : "linear", conv(layer, x, false));
      case "DepthwiseConv2D" -> activation(layer.has("activation") ? layer.string("activation")
          : "linear", conv(layer, x, true));
      case "BatchNormalization" -> batchNorm(layer, x);
      case "ReLU" -> relu(x, layer.has("max_value") ? layer.number("max_value")
          : Double.POSITIVE_INFINITY);
      case "Activation" -> activation(layer.string("activation"), x);
      case "Add" -> add(in);
      case "AveragePooling2D" -> averagePool(layer, x);
      case "GlobalAveragePooling2D" -> globalAverage(x);
      case "Flatten" -> new Tensor(new int[] {x.data().length}, x.data());
      case "Dense" -> activation(layer.string("activation"), dense(layer, x));
      case "Dropout" -> x;
      default -> throw new IllegalArgumentException("reference lacks " + layer.className());
    };
  }

  /** Returns {top, bottom, left, right}. */
  private static int[] padding(JsonNode node) {
    if (node.isInt()) {
      return new int[] {node.asInt(), node.asInt(), node.asInt(), node.asInt()};
    }
    if (node.get(0).isInt()) {
      return new int[] {node.get(0).asInt(), node.get(0).asInt(), node.get(1).asInt(),
          node.get(1).asInt()};
    }
    return new int[] {node.get(0).get(0).asInt(), node.get(0).get(1).asInt(),
        node.get(1).get(0).asInt(), node.get(1).get(1).asInt()};
  }

  private static Tensor zeroPad(Tensor x, int[] p) {
    int h = x.shape()[0];
    int w = x.shape()[1];
    int c = x.shape()[2];
    int outH = h + p[0] + p[1];
    int outW = w + p[2] + p[3];
    double[] out = new double[outH * outW * c];
    for (int y = 0; y < h; y++) {
      for (int xx = 0; xx < w; xx++) {
        for (int ch = 0; ch < c; ch++) {
          out[((y + p[0]) * outW + xx + p[2]) * c + ch] = x.at(y, xx, ch);
        }
      }
    }
    return new Tensor(new int[] {outH, outW, c}, out);
  }

  /** TensorFlow 'same': out = ceil(in / s), total pad split with the extra pixel after. */
  private static int[] samePadding(int h, int w, int[] k, int[] s, int[] d) {
    int[] pads = new int[4];
    int[] sizes = {h, w};
    for (int axis = 0; axis < 2; axis++) {
      int out = (sizes[axis] + s[axis] - 1) / s[axis];
      int total = Math.max(0, (out - 1) * s[axis] + (k[axis] - 1) * d[axis] + 1 - sizes[axis]);
      pads[2 * axis] = total / 2;
      pads[2 * axis + 1] = total - total / 2;
    }
    return pads;
  }

  private Tensor conv(KerasLayer layer, Tensor x, boolean depthwise) {
    int[] k = layer.pair("kernel_size");
    int[] s = layer.pair("strides");
    int[] d = layer.has("dilation_rate") ? layer.pair("dilation_rate") : new int[] {1, 1};
    if (layer.string("padding").equals("same")) {
      x = zeroPad(x, samePadding(x.shape()[0], x.shape()[1], k, s, d));
    }

    int h = x.shape()[0];
    int w = x.shape()[1];
    int cin = x.shape()[2];
    int outH = (h - ((k[0] - 1) * d[0] + 1)) / s[0] + 1;
    int outW = (w - ((k[1] - 1) * d[1] + 1)) / s[1] + 1;
    int mult = depthwise ? layer.integer("depth_multiplier") : 0;
    int cout = depthwise ? cin * mult : layer.integer("filters");

    double[] kernel = weights.get(layer.name() + (depthwise ? "/depthwise_kernel" : "/kernel"));
    double[] bias = layer.bool("use_bias", true) ? weights.get(layer.name() + "/bias") : null;

    double[] out = new double[outH * outW * cout];
    for (int oy = 0; oy < outH; oy++) {
      for (int ox = 0; ox < outW; ox++) {
        for (int o = 0; o < cout; o++) {
          double sum = bias == null ? 0 : bias[o];
          for (int ky = 0; ky < k[0]; ky++) {
            for (int kx = 0; kx < k[1]; kx++) {
              int iy = oy * s[0] + ky * d[0];
              int ix = ox * s[1] + kx * d[1];
              if (depthwise) {
                int c = o / mult;
                int m = o % mult;
                sum += x.at(iy, ix, c) * kernel[((ky * k[1] + kx) * cin + c) * mult + m];
              } else {
                for (int c = 0; c < cin; c++) {
                  sum += x.at(iy, ix, c) * kernel[((ky * k[1] + kx) * cin + c) * cout + o];
                }
              }
            }
          }
          out[(oy * outW + ox) * cout + o] = sum;
        }
      }
    }
    return new Tensor(new int[] {outH, outW, cout}, out);
  }

  private Tensor batchNorm(KerasLayer layer, Tensor x) {
    int[] shape = x.shape();
    int c = shape[shape.length - 1];
    String p = layer.name() + "/";
    double[] gamma = layer.bool("scale", true) ? weights.get(p + "gamma") : null;
    double[] beta = layer.bool("center", true) ? weights.get(p + "beta") : null;
    double[] mean = weights.get(p + "moving_mean");
    double[] variance = weights.get(p + "moving_variance");
    double epsilon = layer.number("epsilon");
    double[] out = new double[x.data().length];
    for (int i = 0; i < out.length; i++) {
      int ch = i % c;
      double normalized = (x.data()[i] - mean[ch]) / Math.sqrt(variance[ch] + epsilon);
      out[i] = normalized * (gamma == null ? 1 : gamma[ch]) + (beta == null ? 0 : beta[ch]);
    }
    return new Tensor(shape, out);
  }

  private static Tensor relu(Tensor x, double max) {
    double[] out = new double[x.data().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.min(Math.max(x.data()[i], 0), max);
    }
    return new Tensor(x.shape(), out);
  }

  private static Tensor activation(String name, Tensor x) {
    switch (name) {
      case "linear":
        return x;
      case "relu":
        return relu(x, Double.POSITIVE_INFINITY);
      case "relu6":
        return relu(x, 6);
      case "softmax": {
        int c = x.shape()[x.shape().length - 1];
        double[] out = new double[x.data().length];
        for (int base = 0; base < out.length; base += c) {
          double max = Double.NEGATIVE_INFINITY;
          for (int i = 0; i < c; i++) {
            max = Math.max(max, x.data()[base + i]);
          }
          double sum = 0;
          for (int i = 0; i < c; i++) {
            out[base + i] = Math.exp(x.data()[base + i] - max);
            sum += out[base + i];
          }
          for (int i = 0; i < c; i++) {
            out[base + i] /= sum;
          }
        }
        return new Tensor(x.shape(), out);
      }
      default:
        throw new IllegalArgumentException("reference lacks activation " + name);
    }
  }

  private static Tensor add(List<Tensor> in) {
    double[] out = in.get(0).data().clone();
    for (int t = 1; t < in.size(); t++) {
      for (int i = 0; i < out.length; i++) {
        out[i] += in.get(t).data()[i];
      }
    }
    return new Tensor(in.get(0).shape(), out);
  }

  /** Keras pooling; 'same' averages only the pixels inside the image. */
  private static Tensor averagePool(KerasLayer layer, Tensor x) {
    int[] k = layer.pair("pool_size");
    int[] s = layer.has("strides") ? layer.pair("strides") : k;
    int h = x.shape()[0];
    int w = x.shape()[1];
    int c = x.shape()[2];
    int[] pads = layer.string("padding").equals("same")
        ? samePadding(h, w, k, s, new int[] {1, 1}) : new int[4];
    int outH = (h + pads[0] + pads[1] - k[0]) / s[0] + 1;
    int outW = (w + pads[2] + pads[3] - k[1]) / s[1] + 1;
    double[] out = new double[outH * outW * c];
    for (int oy = 0; oy < outH; oy++) {
      for (int ox = 0; ox < outW; ox++) {
        for (int ch = 0; ch < c; ch++) {
          double sum = 0;
          int count = 0;
          for (int ky = 0; ky < k[0]; ky++) {
            for (int kx = 0; kx < k[1]; kx++) {
              int iy = oy * s[0] + ky - pads[0];
              int ix = ox * s[1] + kx - pads[2];
              if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                sum += x.at(iy, ix, ch);
                count++;
              }
            }
          }
          out[(oy * outW + ox) * c + ch] = sum / count;
        }
      }
    }
    return new Tensor(new int[] {outH, outW, c}, out);
  }

  private static Tensor globalAverage(Tensor x) {
    int pixels = x.shape()[0] * x.shape()[1];
    int c = x.shape()[2];
    double[] out = new double[c];
    for (int i = 0; i < x.data().length; i++) {
      out[i % c] += x.data()[i] / pixels;
    }
    return new Tensor(new int[] {c}, out);
  }

  private Tensor dense(KerasLayer layer, Tensor x) {
    int units = layer.integer("units");
    int in = x.data().length;
    double[] kernel = weights.get(layer.name() + "/kernel");
    double[] bias = layer.bool("use_bias", true) ? weights.get(layer.name() + "/bias") : null;
    double[] out = new double[units];
    for (int u = 0; u < units; u++) {
      double sum = bias == null ? 0 : bias[u];
      for (int i = 0; i < in; i++) {
        sum += x.data()[i] * kernel[i * units + u];
      }
      out[u] = sum;
    }
    return new Tensor(new int[] {units}, out);
  }
}
