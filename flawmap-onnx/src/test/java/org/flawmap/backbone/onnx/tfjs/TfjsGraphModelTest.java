package org.flawmap.backbone.onnx.tfjs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfjsGraphModelTest {

  @TempDir
  Path folder;

  @Test
  void decodesEveryStorageType() throws Exception {
    SyntheticGraphModel graph = new SyntheticGraphModel(9);
    graph.constant("a", "float32", 2, 3).constant("b", "float16", 4).constant("c", "uint8", 5);
    graph.intConstant("axes", 1, 2);
    Path modelFile = graph.write(folder);

    TfjsGraphModel model = TfjsGraphModel.read(modelFile);
    TfGraphReference reference = new TfGraphReference(modelFile);

    assertEquals(4, model.weights().size());
    assertArrayEquals(new int[] {2, 3}, model.weights().get("a").shape());
    assertArrayEquals(new float[] {1, 2}, model.weights().get("axes").values());
    assertEquals("int32", model.weights().get("axes").dtype());
    for (String name : new String[] {"a", "b", "c"}) {
      float[] values = model.weights().get(name).values();
      Map<String, TfGraphReference.Tensor> expected =
          reference.run(new float[3], 1, 1, List.of(name));
      double[] data = expected.get(name).data();
      for (int i = 0; i < values.length; i++) {
        assertEquals(data[i], values[i], 1e-7, name + "[" + i + "]");
      }
    }
  }

  @Test
  void truncatedWeightsNameTheWeight() throws Exception {
    SyntheticGraphModel graph = new SyntheticGraphModel(2);
    graph.constant("first", "float32", 4).constant("second", "float16", 8);
    Path modelFile = graph.write(folder);
    byte[] bytes = Files.readAllBytes(folder.resolve("model.bin"));
    Files.write(folder.resolve("model.bin"), Arrays.copyOf(bytes, bytes.length - 2));

    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> TfjsGraphModel.read(modelFile));

    assertTrue(error.getMessage().contains("weight 'second'"), error.getMessage());
    assertTrue(error.getMessage().contains("truncated"), error.getMessage());
  }

  @Test
  void extraWeightBytesAreRejected() throws Exception {
    SyntheticGraphModel graph = new SyntheticGraphModel(2);
    graph.constant("only", "float32", 4);
    Path modelFile = graph.write(folder);
    byte[] bytes = Files.readAllBytes(folder.resolve("model.bin"));
    Files.write(folder.resolve("model.bin"), Arrays.copyOf(bytes, bytes.length + 4));

    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> TfjsGraphModel.read(modelFile));

    assertTrue(error.getMessage().contains("4 bytes more than the manifest declares"),
        error.getMessage());
  }

  @Test
  void layersModelIsRejected() throws Exception {
    Path modelFile = folder.resolve("model.json");
    Files.writeString(modelFile, "{\"format\": \"layers-model\", \"modelTopology\": {}}");

    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> TfjsGraphModel.read(modelFile));

    assertTrue(error.getMessage().contains("format is 'layers-model'"), error.getMessage());
  }

  @Test
  void missingFileIsNamed() {
    Path modelFile = folder.resolve("absent.json");

    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> TfjsGraphModel.read(modelFile));

    assertTrue(error.getMessage().contains(modelFile.toString()), error.getMessage());
  }

  @Test
  void integerPlaceholderIsRejected() throws Exception {
    SyntheticGraphModel graph = new SyntheticGraphModel(4);
    graph.node("x", "Placeholder", new String[0], "dtype", SyntheticGraphModel.type("DT_INT32"));
    graph.node("y", "Relu", new String[] {"x"});
    TfjsGraphModel model = TfjsGraphModel.read(graph.write(folder));

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> GraphModelConverter.convert(model, "g", "input", 4, 4, Map.of("y", "out"), ""));

    assertTrue(error.getMessage().contains("node 'x' (Placeholder): input type is DT_INT32"),
        error.getMessage());
  }
}
