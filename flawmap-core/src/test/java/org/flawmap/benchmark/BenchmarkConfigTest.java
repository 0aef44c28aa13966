package org.flawmap.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flawmap.inference.InputMode;
import org.flawmap.inference.InputSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkConfigTest {

  @TempDir Path tmp;

  private Path write(String name, String text) throws Exception {
    Path file = tmp.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private String error(String yaml) throws Exception {
    Path file = write("bad.yaml", yaml);
    return assertThrows(IllegalArgumentException.class, () -> BenchmarkConfig.read(file))
        .getMessage();
  }

  @Test
  void yamlWithDefaults() throws Exception {
    Path file = write("b.yaml", """
        datasets:
          - path: data/tile
            labels: labels.csv
        models:
          - type: padim
            options: {dimension: 50}
          - patchcore
        """);
    BenchmarkConfig c = BenchmarkConfig.read(file);
    assertEquals(tmp.resolve("data/tile"), c.datasets().get(0).path());
    assertEquals(tmp.resolve("labels.csv"), c.datasets().get(0).labels());
    assertEquals(List.of("mobilenet_v2_nsfwjs"), c.backbones());
    assertEquals(5, c.thresholds().size());
    assertEquals(List.of(42L), c.seeds());
    assertEquals("padim(dimension=50)", c.models().get(0).label());
    assertEquals("patchcore", c.models().get(1).label());
  }

  @Test
  void jsonIsAccepted() throws Exception {
    Path file = write("b.json", """
        {"datasets": ["d"], "models": [{"type": "padim"}], "seeds": [1, 2]}
        """);
    assertEquals(List.of(1L, 2L), BenchmarkConfig.read(file).seeds());
  }

  @Test
  void unknownKeysAreNamedWithTheirPath() throws Exception {
    String top = error("datasets: [d]\nmodels: [padim]\nmodel_list: []\n");
    assertTrue(top.contains("model_list"), top);
    assertTrue(top.contains("bad.yaml"), top);
    String option = error("datasets: [d]\nmodels:\n  - type: padim\n    options: {dimenson: 3}\n");
    assertTrue(option.contains("models[0].options.dimenson"), option);
    assertTrue(option.contains("dimension"), option);
  }

  @Test
  void badValuesAreNamed() throws Exception {
    String type = error("datasets: [d]\nmodels: [{type: cflow9}]\n");
    assertTrue(type.contains("models[0].type"), type);
    String value = error("datasets: [d]\nmodels:\n  - type: padim\n    options: {dimension: 0}\n");
    assertTrue(value.contains("models[0].options"), value);
    String estimator = error("datasets: [d]\nmodels: [padim]\nthresholds: [f1, magic]\n");
    assertTrue(estimator.contains("thresholds[1]"), estimator);
    String seeds = error("datasets: [d]\nmodels: [padim]\nseeds: [x]\n");
    assertTrue(seeds.contains("seeds[0]"), seeds);
    String missing = error("models: [padim]\n");
    assertTrue(missing.contains("datasets"), missing);
    String fraction = error("datasets: [d]\nmodels: [padim]\nsplit: {fraction: 1.5}\n");
    assertTrue(fraction.contains("split.fraction"), fraction);
  }

  @Test
  void repeatedEntriesAreRejected() throws Exception {
    String models = error("datasets: [d]\nmodels:\n  - {type: padim, options: {epsilon: 0.1,"
        + " dimension: 5}}\n  - {type: padim, options: {dimension: 5, epsilon: 0.1}}\n");
    assertTrue(models.contains("models[1]"), models);
    String seeds = error("datasets: [d]\nmodels: [padim]\nseeds: [1, 1]\n");
    assertTrue(seeds.contains("seeds[1]"), seeds);
    String thresholds = error("datasets: [d]\nmodels: [padim]\nthresholds: [f1, f1]\n");
    assertTrue(thresholds.contains("thresholds[1]"), thresholds);
  }

  @Test
  void invalidYamlNamesTheFile() throws Exception {
    String e = error("datasets: [d\nmodels: ]");
    assertTrue(e.contains("not valid YAML"), e);
  }

  @Test
  void inputModePerModel() throws Exception {
    Path file = write("b.yaml", """
        datasets: [d]
        models:
          - padim
          - {type: padim, input_mode: keep-aspect}
          - {type: padim, input_mode: tile}
          - {type: padim, input_mode: tile, tile_scale: 0.5, tile_overlap: 32}
        """);
    List<ModelSpec> models = BenchmarkConfig.read(file).models();

    assertEquals(InputSettings.RESIZE, models.get(0).input());
    assertEquals(InputSettings.of(InputMode.KEEP_ASPECT), models.get(1).input());
    assertEquals(InputSettings.tile(1.0, 64), models.get(2).input());
    assertEquals(InputSettings.tile(0.5, 32), models.get(3).input());
    assertEquals("padim", models.get(0).label());
    assertEquals("padim@keep-aspect", models.get(1).label());
    assertEquals("padim@tile(scale=1,overlap=64)", models.get(2).label());
    assertEquals("padim@tile(scale=0.5,overlap=32)", models.get(3).label());
  }

  @Test
  void invalidInputKeysAreNamed() throws Exception {
    String mode = error("datasets: [d]\nmodels: [{type: padim, input_mode: tiles}]\n");
    assertTrue(mode.contains("models[0].input_mode"), mode);
    assertTrue(mode.contains("keep-aspect"), mode);

    String stray = error("datasets: [d]\nmodels: [{type: padim, tile_scale: 2}]\n");
    assertTrue(stray.contains("models[0].tile_scale"), stray);
    assertTrue(stray.contains("input_mode: tile only"), stray);

    String overlap = error(
        "datasets: [d]\nmodels: [{type: padim, input_mode: tile, tile_overlap: 0.5}]\n");
    assertTrue(overlap.contains("models[0].tile_overlap"), overlap);

    String scale = error(
        "datasets: [d]\nmodels: [{type: padim, input_mode: tile, tile_scale: -1}]\n");
    assertTrue(scale.contains("tile scale"), scale);

    String unknown = error("datasets: [d]\nmodels: [{type: padim, tile_size: 3}]\n");
    assertTrue(unknown.contains("input_mode"), unknown);
  }

  @Test
  void sameModelInTwoModesIsTwoCells() throws Exception {
    Path file = write("b.yaml", """
        datasets: [d]
        models: [padim, {type: padim, input_mode: tile}]
        """);

    assertEquals(2, BenchmarkConfig.read(file).models().size());
  }
}
