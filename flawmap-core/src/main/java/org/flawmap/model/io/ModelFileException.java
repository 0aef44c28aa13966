package org.flawmap.model.io;

/** A model file that cannot be read: damaged, from another format version, or not one. */
public class ModelFileException extends RuntimeException {

  public ModelFileException(String message) {
    super(message);
  }

  public ModelFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
