package org.flawmap.djl.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A block's parameters as bytes, in the format of {@link Block#saveParameters}, so that models,
 * checkpoints and the best epoch's copy store them the same way.
 */
public final class Weights {

  private Weights() {}

  /** Returns the parameters of {@code block} as {@link Block#saveParameters} writes them. */
  public static byte[] toBytes(Block block) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      block.saveParameters(out);
    }
    return bytes.toByteArray();
  }

  /**
   * Loads {@code weights} into an initialised {@code block} on {@code manager}.
   *
   * @throws MalformedModelException when the weights do not fit the block's parameters
   */
  public static void load(Block block, NDManager manager, byte[] weights)
      throws IOException, MalformedModelException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(weights))) {
      block.loadParameters(manager, in);
    }
  }
}
