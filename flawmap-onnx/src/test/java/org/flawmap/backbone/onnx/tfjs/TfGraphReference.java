package org.flawmap.backbone.onnx.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates nodes of a tfjs graph-model in NHWC double precision, straight from the JSON and the
 * raw weight bytes, as an independent check of {@link GraphModelConverter}.
 *
 * <p>It shares no code with the converter: it decodes float16 arithmetically, keeps TensorFlow's
 * layouts (filters HWIO, activations {@code [1, H, W, C]}), and loops over every output element.
 * It implements the ops of the CenterNet MobileNetV3 backbone and of the synthetic test graphs.
 * Mean always averages over height and width, the only form the converter accepts.
 */
final class TfGraphReference {

  /** A dense tensor, row-major with the last axis fastest. */
  record Tensor(int[] shape, double[] data) {
    double at(int... index) {
      int offset = 0;
      for (int i = 0; i < shape.length; i++) {
        offset = offset * shape[i] + index[i];
      }
      return data[offset];
    }
  }

  private final Map<String, JsonNode> nodes = new HashMap<>();
  private final Map<String, Tensor> constants = new HashMap<>();

  TfGraphReference(Path modelFile) throws IOException {
    JsonNode root = new ObjectMapper().readTree(modelFile.toFile());
    for (JsonNode node : root.path("modelTopology").path("node")) {
      nodes.put(node.path("name").asText(), node);
    }
    for (JsonNode group : root.path("weightsManifest")) {
      byte[] bytes = new byte[0];
      for (JsonNode path : group.path("paths")) {
        byte[] part = Files.readAllBytes(modelFile.resolveSibling(path.asText()));
        byte[] joined = new byte[bytes.length + part.length];
        System.arraycopy(bytes, 0, joined, 0, bytes.length);
        System.arraycopy(part, 0, joined, bytes.length, part.length);
        bytes = joined;
      }
      ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      for (JsonNode spec : group.path("weights")) {
        int[] shape = new int[spec.path("shape").size()];
        int count = 1;
        for (int i = 0; i < shape.length; i++) {
          shape[i] = spec.path("shape").get(i).asInt();
          count *= shape[i];
        }
        String storage = spec.path("quantization").path("dtype")
            .asText(spec.path("dtype").asText());
        double scale = spec.path("quantization").path("scale").asDouble();
        double min = spec.path("quantization").path("min").asDouble();
        double[] data = new double[count];
        for (int i = 0; i < count; i++) {
          data[i] = switch (storage) {
            case "float32" -> buffer.getFloat();
            case "int32" -> buffer.getInt();
            case "float16" -> halfToDouble(buffer.getShort() & 0xFFFF);
            case "uint8" -> Byte.toUnsignedInt(buffer.get()) * scale + min;
            default -> throw new IllegalArgumentException("reference cannot read " + storage);
          };
        }
        constants.put(spec.path("name").asText(), new Tensor(shape, data));
      }
    }
  }

  /** Binary16 by its definition: (-1)^s · 2^(e - 15) · (1 + m / 1024), subnormal when e = 0. */
  static double halfToDouble(int bits) {
    int sign = (bits >> 15) == 1 ? -1 : 1;
    int exponent = (bits >> 10) & 31;
    int mantissa = bits & 1023;
    if (exponent == 31) {
      return mantissa == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
    }
    if (exponent == 0) {
      return sign * mantissa * Math.pow(2, -24);
    }
    return sign * (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
  }

  /**
   * Evaluates the requested nodes for one image.
   *
   * @param image {@code [height, width, 3]} values exactly as the Placeholder receives them
   */
  Map<String, Tensor> run(float[] image, int height, int width, List<String> outputs) {
    Map<String, Tensor> cache = new HashMap<>();
    double[] input = new double[image.length];
    for (int i = 0; i < image.length; i++) {
      input[i] = image[i];
    }
    Tensor placeholder = new Tensor(new int[] {1, height, width, 3}, input);
    Map<String, Tensor> results = new HashMap<>();
    for (String output : outputs) {
      results.put(output, evaluate(output, placeholder, cache));
    }
    return results;
  }

  private Tensor evaluate(String name, Tensor placeholder, Map<String, Tensor> cache) {
    Tensor cached = cache.get(name);
    if (cached != null) {
      return cached;
    }
    JsonNode node = nodes.get(name);
    String op = node.path("op").asText();
    List<Tensor> in = new ArrayList<>();
    for (JsonNode input : node.path("input")) {
      in.add(evaluate(input.asText().replace(":0", ""), placeholder, cache));
    }
    JsonNode attr = node.path("attr");
    Tensor result = switch (op) {
      case "Const" -> constants.get(name);
      case "Placeholder" -> placeholder;
      case "Identity" -> in.get(0);
      case "Add", "AddV2", "BiasAdd" -> broadcast(in.get(0), in.get(1), '+');
      case "Sub" -> broadcast(in.get(0), in.get(1), '-');
      case "Mul" -> broadcast(in.get(0), in.get(1), '*');
      case "Relu" -> map(in.get(0), v -> Math.max(v, 0));
      case "Relu6" -> map(in.get(0), v -> Math.min(Math.max(v, 0), 6));
      case "Sigmoid" -> map(in.get(0), v -> 1 / (1 + Math.exp(-v)));
      case "Mean" -> meanOverHeightWidth(in.get(0));
      case "Conv2D", "_FusedConv2D", "DepthwiseConv2dNative", "FusedDepthwiseConv2dNative" ->
          convolve(op.contains("Depthwise"), in, attr);
      default -> throw new IllegalArgumentException("reference has no op " + op);
    };
    cache.put(name, result);
    return result;
  }

  private static Tensor convolve(boolean depthwise, List<Tensor> in, JsonNode attr) {
    Tensor x = in.get(0);
    Tensor filter = in.get(1);
    int h = x.shape()[1];
    int w = x.shape()[2];
    int channels = x.shape()[3];
    int kh = filter.shape()[0];
    int kw = filter.shape()[1];
    int multiplier = filter.shape()[3];
    int outChannels = depthwise ? channels * multiplier : multiplier;
    int sy = listInt(attr, "strides", 1);
    int sx = listInt(attr, "strides", 2);
    int dy = attr.has("dilations") ? listInt(attr, "dilations", 1) : 1;
    int dx = attr.has("dilations") ? listInt(attr, "dilations", 2) : 1;
    boolean same = text(attr.path("padding").path("s").asText()).equals("SAME");
    int outH = same ? -Math.floorDiv(-h, sy) : (h - (kh - 1) * dy - 1) / sy + 1;
    int outW = same ? -Math.floorDiv(-w, sx) : (w - (kw - 1) * dx - 1) / sx + 1;
    int top = same ? Math.max((outH - 1) * sy + (kh - 1) * dy + 1 - h, 0) / 2 : 0;
    int left = same ? Math.max((outW - 1) * sx + (kw - 1) * dx + 1 - w, 0) / 2 : 0;

    List<String> fused = new ArrayList<>();
    for (JsonNode op : attr.path("fused_ops").path("list").path("s")) {
      fused.add(text(op.asText()));
    }
    double[] out = new double[outH * outW * outChannels];
    for (int oy = 0; oy < outH; oy++) {
      for (int ox = 0; ox < outW; ox++) {
        for (int o = 0; o < outChannels; o++) {
          double sum = fused.contains("BiasAdd") ? in.get(2).data()[o] : 0;
          for (int ky = 0; ky < kh; ky++) {
            int iy = oy * sy - top + ky * dy;
            for (int kx = 0; kx < kw; kx++) {
              int ix = ox * sx - left + kx * dx;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                continue;
              }
              if (depthwise) {
                int c = o / multiplier;
                sum += x.at(0, iy, ix, c) * filter.at(ky, kx, c, o % multiplier);
              } else {
                for (int c = 0; c < channels; c++) {
                  sum += x.at(0, iy, ix, c) * filter.at(ky, kx, c, o);
                }
              }
            }
          }
          if (fused.contains("Relu")) {
            sum = Math.max(sum, 0);
          } else if (fused.contains("Relu6")) {
            sum = Math.min(Math.max(sum, 0), 6);
          }
          out[(oy * outW + ox) * outChannels + o] = sum;
        }
      }
    }
    return new Tensor(new int[] {1, outH, outW, outChannels}, out);
  }

  private static Tensor meanOverHeightWidth(Tensor x) {
    int h = x.shape()[1];
    int w = x.shape()[2];
    int c = x.shape()[3];
    double[] mean = new double[c];
    for (int y = 0; y < h; y++) {
      for (int xx = 0; xx < w; xx++) {
        for (int k = 0; k < c; k++) {
          mean[k] += x.at(0, y, xx, k) / (h * w);
        }
      }
    }
    return new Tensor(new int[] {1, 1, 1, c}, mean);
  }

  /** NumPy broadcasting of two tensors, both padded to rank 4 with leading ones. */
  private static Tensor broadcast(Tensor a, Tensor b, char op) {
    int[] sa = rank4(a.shape());
    int[] sb = rank4(b.shape());
    int[] shape = new int[4];
    for (int i = 0; i < 4; i++) {
      shape[i] = Math.max(sa[i], sb[i]);
    }
    double[] out = new double[shape[0] * shape[1] * shape[2] * shape[3]];
    int offset = 0;
    for (int n = 0; n < shape[0]; n++) {
      for (int y = 0; y < shape[1]; y++) {
        for (int x = 0; x < shape[2]; x++) {
          for (int c = 0; c < shape[3]; c++) {
            double u = a.data()[index(sa, n, y, x, c)];
            double v = b.data()[index(sb, n, y, x, c)];
            out[offset++] = switch (op) {
              case '+' -> u + v;
              case '-' -> u - v;
              default -> u * v;
            };
          }
        }
      }
    }
    return new Tensor(shape, out);
  }

  private static int index(int[] shape, int n, int y, int x, int c) {
    int[] at = {n, y, x, c};
    int offset = 0;
    for (int i = 0; i < 4; i++) {
      offset = offset * shape[i] + (shape[i] == 1 ? 0 : at[i]);
    }
    return offset;
  }

  private static int[] rank4(int[] shape) {
    int[] padded = {1, 1, 1, 1};
    System.arraycopy(shape, 0, padded, 4 - shape.length, shape.length);
    return padded;
  }

  private static Tensor map(Tensor x, java.util.function.DoubleUnaryOperator function) {
    double[] out = new double[x.data().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = function.applyAsDouble(x.data()[i]);
    }
    return new Tensor(x.shape(), out);
  }

  private static int listInt(JsonNode attr, String key, int position) {
    return attr.path(key).path("list").path("i").get(position).asInt();
  }

  private static String text(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
