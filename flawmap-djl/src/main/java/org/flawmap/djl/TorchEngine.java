package org.flawmap.djl;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;

/**
 * Starts DJL's PyTorch engine in offline mode. The native library comes from the
 * {@code pytorch-native-cpu} jar on the class path (Maven Central), which DJL unpacks into its
 * cache folder ({@code ~/.djl.ai}, or {@code DJL_CACHE_DIR} when set). Offline mode
 * makes a missing jar an error instead of a download.
 */
public final class TorchEngine {

  public static final String NAME = "PyTorch";

  private TorchEngine() {}

  /**
   * Returns the PyTorch engine, started once.
   *
   * @throws IllegalStateException when the native library is not on the class path
   */
  public static synchronized Engine get() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    try {
      return Engine.getEngine(NAME);
    } catch (EngineException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "the PyTorch engine did not start (" + e.getMessage() + "); the trainable models need"
              + " the pytorch-jni and pytorch-native-cpu jars of flawmap-djl on the class path",
          e);
    }
  }
}
