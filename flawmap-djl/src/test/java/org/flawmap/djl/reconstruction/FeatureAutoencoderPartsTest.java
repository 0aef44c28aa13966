package org.flawmap.djl.reconstruction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.djl.TorchEngine;
import org.flawmap.djl.features.ChannelStats;
import org.flawmap.djl.features.FeatureGrid;
import org.flawmap.model.ModelParameters;
import org.flawmap.model.ModelType;
import org.flawmap.model.ModelTypes;
import org.junit.jupiter.api.Test;

/** Closed-form checks of the feature autoencoder's parts, and its option errors. */
class FeatureAutoencoderPartsTest {

  @Test
  void channelStatsMatchDirectComputation() {
    SyntheticFeatures data = new SyntheticFeatures();
    FeatureGrid grid =
        new FeatureGrid(SyntheticFeatures.BACKBONE, 8, FeatureAutoencoderModel.DOWNSAMPLING);
    int cells = grid.width() * grid.height();
    float[][] grids = new float[5][];
    ChannelStats.Accumulator accumulator = new ChannelStats.Accumulator(grid.channels(), cells);
    for (int i = 0; i < grids.length; i++) {
      grids[i] = grid.resample(data.image(i, i == 2));
      accumulator.add(grids[i]);
    }

    ChannelStats stats = accumulator.stats();

    for (int c = 0; c < grid.channels(); c++) {
      double sum = 0;
      for (float[] g : grids) {
        for (int i = 0; i < cells; i++) {
          sum += g[c * cells + i];
        }
      }
      double mean = sum / (grids.length * cells);
      double squares = 0;
      for (float[] g : grids) {
        for (int i = 0; i < cells; i++) {
          squares += Math.pow(g[c * cells + i] - mean, 2);
        }
      }
      double std = Math.sqrt(squares / (grids.length * cells));
      assertEquals(mean, stats.mean()[c], 1e-5, "mean of channel " + c);
      assertEquals(std, stats.std()[c], 1e-5, "std of channel " + c);
    }
  }

  @Test
  void normaliseGivesZeroMeanUnitStd() {
    ChannelStats stats = new ChannelStats(new float[] {1, -2}, new float[] {2, 0.5f});
    float[] grid = {3, 1, -2, -1};

    stats.normalise(grid, 2);

    assertArrayEquals(new float[] {1, 0, 0, 2}, grid);
  }

  @Test
  void constantChannelIsDividedByOne() {
    ChannelStats.Accumulator accumulator = new ChannelStats.Accumulator(1, 2);
    accumulator.add(new float[] {5, 5});

    ChannelStats stats = accumulator.stats();

    assertEquals(5f, stats.mean()[0]);
    assertEquals(1f, stats.std()[0]);
  }

  @Test
  void featureGridAveragesFinerAndSpreadsCoarserStages() {
    FeatureGrid grid =
        new FeatureGrid(SyntheticFeatures.BACKBONE, 8, FeatureAutoencoderModel.DOWNSAMPLING);
    FeatureMap fine = constantMap(6, 16, 4, 0f);
    // Channel 0 of the stride-4 stage: each 2 × 2 block holds 0, 1, 2, 3, averaging to 1.5.
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        fine.data()[y * 16 + x] = (y % 2) * 2 + (x % 2);
      }
    }
    FeatureMap middle = constantMap(8, 8, 8, 2f);
    FeatureMap coarse = constantMap(10, 4, 16, -1f);

    float[] out = grid.resample(new FeatureMap[] {fine, middle, coarse});

    assertEquals(24, grid.channels());
    assertEquals(24 * 64, out.length);
    for (int i = 0; i < 64; i++) {
      assertEquals(1.5f, out[i], 1e-6, "fine channel 0, cell " + i);
      assertEquals(2f, out[6 * 64 + i], "middle channel 0, cell " + i);
      assertEquals(-1f, out[(6 + 8) * 64 + i], "coarse channel 0, cell " + i);
    }
  }

  private static FeatureMap constantMap(int channels, int side, int stride, float value) {
    float[] data = new float[channels * side * side];
    java.util.Arrays.fill(data, value);
    return new FeatureMap(channels, side, side, stride, data);
  }

  @Test
  void perfectReconstructionHasZeroError() {
    try (NDManager manager = TorchEngine.get().newBaseManager()) {
      NDArray x = manager.randomNormal(new Shape(2, 3, 4, 5));

      float[] errors = AutoencoderNetwork.cellError(x, x).toFloatArray();

      assertEquals(2 * 4 * 5, errors.length);
      assertArrayEquals(new float[errors.length], errors);
    }
  }

  @Test
  void cellErrorAveragesSquaresOverChannels() {
    try (NDManager manager = TorchEngine.get().newBaseManager()) {
      // One image, 2 channels, 1 × 2 cells: offsets (1, 3) in cell 0 and (2, 0) in cell 1.
      NDArray x = manager.create(new float[] {0, 0, 0, 0}, new Shape(1, 2, 1, 2));
      NDArray y = manager.create(new float[] {1, 2, 3, 0}, new Shape(1, 2, 1, 2));

      float[] errors = AutoencoderNetwork.cellError(x, y).toFloatArray();

      assertArrayEquals(new float[] {(1 + 9) / 2f, (4 + 0) / 2f}, errors);
    }
  }

  @Test
  void invalidOptionsNameTheOption() {
    ModelType type = new FeatureAutoencoderType();
    Map<String, JsonNode> cases =
        Map.of(
            "epochs", IntNode.valueOf(0),
            "batch_size", IntNode.valueOf(-1),
            "learning_rate", DoubleNode.valueOf(0),
            "patience", IntNode.valueOf(-2),
            "time_limit", DoubleNode.valueOf(-1),
            "blur_sigma", DoubleNode.valueOf(0),
            "latent_channels", IntNode.valueOf(0),
            "hidden_channels", TextNode.valueOf("wide"),
            "grid_stride", DoubleNode.valueOf(2.5));
    cases.forEach(
        (name, value) -> {
          ModelParameters options = new ModelParameters(Map.of(name, value));
          IllegalArgumentException e =
              assertThrows(IllegalArgumentException.class, () -> type.validate(options), name);
          assertTrue(e.getMessage().contains(name), e.getMessage());
        });
  }

  @Test
  void wideBottleneckIsRejected() {
    ModelType type = new FeatureAutoencoderType();
    ModelParameters options =
        new ModelParameters(Map.of("latent_channels", IntNode.valueOf(24)));

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> type.fitter(SyntheticFeatures.BACKBONE, options, 1L));

    assertTrue(e.getMessage().contains("latent_channels"), e.getMessage());
    assertTrue(e.getMessage().contains("24"), e.getMessage());
  }

  @Test
  void gridStrideOutsideStagesIsRejected() {
    ModelType type = new FeatureAutoencoderType();
    ModelParameters options = new ModelParameters(Map.of("grid_stride", IntNode.valueOf(5)));

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> type.fitter(SyntheticFeatures.BACKBONE, options, 1L));

    assertTrue(e.getMessage().contains("grid_stride"), e.getMessage());
    assertTrue(e.getMessage().contains("[4, 8, 16]"), e.getMessage());
  }

  @Test
  void typeIsRegistered() {
    ModelType type = ModelTypes.byName("feature-ae");

    assertInstanceOf(FeatureAutoencoderType.class, type);
    assertEquals("feature-ae", type.codec().type());
  }
}
