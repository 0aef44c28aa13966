package org.flawmap.spark;

import java.nio.file.Path;

/**
 * Output names of mask files, without extension and with forward slashes. Images found in an
 * input folder keep their subfolders below it, as in {@code flawmap predict}. Images named in a
 * Parquet list mirror their absolute path, so that two images with the same file name in
 * different folders never share a mask file.
 */
final class MaskNames {

  private MaskNames() {}

  /**
   * Returns the name of {@code imagePath}'s mask.
   *
   * @param inputRoot the input folder, or null for a Parquet list
   */
  static String of(String imagePath, String inputRoot) {
    Path image = Path.of(imagePath).toAbsolutePath().normalize();
    Path relative;
    if (inputRoot != null && image.startsWith(Path.of(inputRoot).toAbsolutePath().normalize())) {
      relative = Path.of(inputRoot).toAbsolutePath().normalize().relativize(image);
    } else {
      Path root = image.getRoot();
      relative = root == null ? image : root.relativize(image);
    }
    String name = relative.toString().replace('\\', '/');
    int dot = name.lastIndexOf('.');
    return dot > name.lastIndexOf('/') + 1 ? name.substring(0, dot) : name;
  }
}
