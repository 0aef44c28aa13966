package org.flawmap.labels;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Whether an image shows a background around the product. Objects photographed on a table or
 * holder are {@link #WITH}, close-ups where the product fills the frame (textures, crops) are
 * {@link #WITHOUT}. A model has to learn the background too, so results differ between the two.
 */
public enum Background {
  WITH("with"),
  WITHOUT("without");

  private final String value;

  Background(String value) {
    this.value = value;
  }

  /** Returns the value written in label files, in lower case. */
  public String value() {
    return value;
  }

  /** Returns the background whose {@link #value()} is exactly {@code text}, if any. */
  public static Optional<Background> fromValue(String text) {
    return Arrays.stream(values()).filter(b -> b.value.equals(text)).findFirst();
  }

  /** Returns the allowed values for messages: {@code with, without}. */
  public static String allowedValues() {
    return Arrays.stream(values()).map(Background::value).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return value;
  }
}
