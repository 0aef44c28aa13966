package org.flawmap.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.flawmap.image.ImageFormat;

/**
 * The images named on a command line: files as given, and folders searched recursively for
 * PNG, JPEG and BMP files in sorted order. Each gets an output name: the file's stem, under the
 * same subfolders as inside the folder it was found in.
 */
final class ImageInputs {

  /** One input image and its output name (forward slashes, no extension). */
  record Input(Path file, String name) {}

  private ImageInputs() {}

  /**
   * Lists the images; files under {@code output} are left out, so that a second run into a
   * folder inside an input folder does not score its own outputs.
   *
   * @param output the command's output folder, or null for a command that writes none
   */
  static List<Input> list(List<Path> arguments, Path output) throws IOException {
    Path outputFolder = output == null ? null : output.toAbsolutePath().normalize();
    List<Input> inputs = new ArrayList<>();
    for (Path argument : arguments) {
      if (Files.isDirectory(argument)) {
        try (Stream<Path> walk = Files.walk(argument)) {
          walk.filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .filter(p -> outputFolder == null
                  || !p.toAbsolutePath().normalize().startsWith(outputFolder))
              .filter(p -> ImageFormat.fromFileName(p.getFileName().toString()).isPresent())
              .sorted()
              .forEach(p -> inputs.add(new Input(p, outputName(argument.relativize(p)))));
        }
      } else if (Files.isRegularFile(argument)) {
        inputs.add(new Input(argument, outputName(argument.getFileName())));
      } else {
        throw new IllegalArgumentException(
            "input %s not found; name image files or folders that contain them"
                .formatted(argument));
      }
    }
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException(
          "no PNG, JPEG or BMP image found in " + String.join(", ",
              arguments.stream().map(Object::toString).toList())
              + "; name image files or folders");
    }
    checkUniqueNames(inputs);
    return inputs;
  }

  private static String outputName(Path relative) {
    String path = relative.toString().replace('\\', '/');
    int dot = path.lastIndexOf('.');
    return dot > path.lastIndexOf('/') + 1 ? path.substring(0, dot) : path;
  }

  private static void checkUniqueNames(List<Input> inputs) {
    Map<String, Path> seen = new HashMap<>();
    for (Input input : inputs) {
      Path previous = seen.putIfAbsent(input.name(), input.file());
      if (previous != null) {
        throw new IllegalArgumentException(
            ("%s and %s would write the same output files (%s.*); rename one of them, or"
                    + " predict them in separate runs with different --output folders")
                .formatted(previous, input.file(), input.name()));
      }
    }
  }
}
