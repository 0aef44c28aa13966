package org.flawmap.dataset;

/** An invalid dataset: the message names the file or folder and says what to change. */
public class DatasetException extends RuntimeException {

  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
