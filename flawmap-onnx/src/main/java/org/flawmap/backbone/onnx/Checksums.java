package org.flawmap.backbone.onnx;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests as written in {@code backbone.json}. */
public final class Checksums {

  private Checksums() {}

  /** Returns the lower-case hex SHA-256 of {@code bytes}, as {@code sha256sum} prints it. */
  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime must provide SHA-256", e);
    }
  }
}
