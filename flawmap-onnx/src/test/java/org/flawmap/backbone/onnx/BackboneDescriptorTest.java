package org.flawmap.backbone.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.StageInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BackboneDescriptorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SHA = "ab".repeat(32);

  static BackboneDescriptor sample() {
    return new BackboneDescriptor("resnet18", "model.onnx", SHA, 256, 224, "NCHW", "input",
        new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f},
        List.of(new StageInfo("layer1", 64, 4), new StageInfo("layer2", 128, 8)),
        "torchvision ResNet18, BSD-3-Clause");
  }

  @Test
  void jsonRoundTripKeepsEveryField() {
    BackboneDescriptor original = sample();

    BackboneDescriptor parsed = BackboneDescriptor.parse(original.toJson(), "test.json");

    assertEquals(original.id(), parsed.id());
    assertEquals(original.onnx(), parsed.onnx());
    assertEquals(original.sha256(), parsed.sha256());
    assertEquals(256, parsed.inputWidth());
    assertEquals(224, parsed.inputHeight());
    assertEquals("NCHW", parsed.layout());
    assertEquals("input", parsed.inputName());
    assertArrayEquals(original.mean(), parsed.mean());
    assertArrayEquals(original.std(), parsed.std());
    assertEquals(original.stages(), parsed.stages());
    assertEquals(original.source(), parsed.source());
    assertEquals(original.toJson(), parsed.toJson());
    assertEquals(original, parsed);
    assertEquals(original.hashCode(), parsed.hashCode());
  }

  @Test
  void toInfoCarriesContract() {
    BackboneInfo info = sample().toInfo();

    assertEquals("resnet18", info.id());
    assertEquals(SHA, info.sha256());
    assertEquals(256, info.inputWidth());
    assertEquals(224, info.inputHeight());
    assertArrayEquals(new float[] {0.485f, 0.456f, 0.406f}, info.mean());
    assertEquals(2, info.stages().size());
  }

  @Test
  void upperCaseChecksumIsNormalised() {
    BackboneDescriptor descriptor = sample().withSha256(SHA.toUpperCase());

    assertEquals(SHA, descriptor.sha256());
  }

  @Test
  void readNamesFileInErrors(@TempDir Path dir) throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(sample().toJson());
    root.remove("stages");
    Path file = dir.resolve("backbone.json");
    Files.writeString(file, root.toString());

    BackboneException error =
        assertThrows(BackboneException.class, () -> BackboneDescriptor.read(file));

    assertTrue(error.getMessage().startsWith(file.toString()), error.getMessage());
    assertTrue(error.getMessage().contains("key 'stages' is missing"), error.getMessage());
  }

  record Case(String name, Consumer<ObjectNode> edit, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> invalidCases() {
    return List.of(
        new Case("missing id", r -> r.remove("id"), "key 'id' is missing"),
        new Case("missing input name", r -> input(r).remove("name"),
            "key 'input.name' is missing"),
        new Case("missing stage channels", r -> stage(r, 1).remove("channels"),
            "key 'stages[1].channels' is missing"),
        new Case("unknown key", r -> r.put("colour", "rgb"), "key 'colour' is unknown"),
        new Case("unknown input key", r -> input(r).put("channels", 3),
            "key 'input.channels' is unknown"),
        new Case("width as string", r -> input(r).put("width", "224"),
            "key 'input.width' must be an integer"),
        new Case("fractional stride", r -> stage(r, 0).put("stride", 4.5),
            "key 'stages[0].stride' must be an integer"),
        new Case("invalid id", r -> r.put("id", "res net"), "key 'id'"),
        new Case("onnx outside folder", r -> r.put("onnx", "../model.onnx"), "key 'onnx'"),
        new Case("short checksum", r -> r.put("sha256", "abc"), "key 'sha256'"),
        new Case("NHWC layout", r -> input(r).put("layout", "NHWC"), "key 'input.layout'"),
        new Case("zero height", r -> input(r).put("height", 0), "'input.height'"),
        new Case("two means", r -> ((ArrayNode) r.get("mean")).remove(2), "key 'mean'"),
        new Case("mean not number", r -> ((ArrayNode) r.get("mean")).set(0, "x"),
            "key 'mean[0]' must be a number"),
        new Case("zero std", r -> ((ArrayNode) r.get("std")).set(1, 0.0), "key 'std'"),
        new Case("no stages", r -> r.putArray("stages"), "key 'stages'"),
        new Case("duplicate stage", r -> stage(r, 1).put("name", "layer1"),
            "key 'stages[1].name' = 'layer1' appears twice"),
        new Case("zero channels", r -> stage(r, 0).put("channels", 0),
            "key 'stages[0].channels' must be positive"),
        new Case("coarse stage first", r -> stage(r, 1).put("stride", 2),
            "key 'stages[1].stride' = 2 is smaller"),
        new Case("blank source", r -> r.put("source", " "), "key 'source'"),
        new Case("stages not array", r -> r.put("stages", 3), "key 'stages' must be an array"));
  }

  @ParameterizedTest
  @MethodSource("invalidCases")
  void invalidDescriptorNamesKeyAndFile(Case invalid) throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(sample().toJson());
    invalid.edit().accept(root);

    BackboneException error = assertThrows(BackboneException.class,
        () -> BackboneDescriptor.parse(root.toString(), "dir/backbone.json"));

    assertTrue(error.getMessage().startsWith("dir/backbone.json: "), error.getMessage());
    assertTrue(error.getMessage().contains(invalid.expected()), error.getMessage());
  }

  @Test
  void malformedJsonNamesFile() {
    BackboneException error = assertThrows(BackboneException.class,
        () -> BackboneDescriptor.parse("{\"id\": ", "dir/backbone.json"));

    assertTrue(error.getMessage().startsWith("dir/backbone.json: invalid JSON"),
        error.getMessage());
  }

  private static ObjectNode input(ObjectNode root) {
    return (ObjectNode) root.get("input");
  }

  private static ObjectNode stage(ObjectNode root, int index) {
    return (ObjectNode) root.get("stages").get(index);
  }
}
