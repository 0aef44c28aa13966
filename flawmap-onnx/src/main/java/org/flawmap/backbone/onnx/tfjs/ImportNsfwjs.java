package org.flawmap.backbone.onnx.tfjs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.flawmap.backbone.StageInfo;
import org.flawmap.backbone.onnx.BackboneException;
import org.flawmap.backbone.onnx.OnnxFeatureExtractor;

/**
 * Command line for {@link NsfwjsMobileNetImporter}:
 *
 * <pre>
 * java -cp ... org.flawmap.backbone.onnx.tfjs.ImportNsfwjs --package-dir DIR --output DIR
 * </pre>
 *
 * <p>After writing, it loads the result with {@link OnnxFeatureExtractor} as a check. Exit codes:
 * 0 success, 1 conversion or check failed, 2 invalid arguments.
 */
public final class ImportNsfwjs {

  private static final String USAGE = """
      Usage: ImportNsfwjs (--package-dir DIR | --model-dir DIR) --output DIR
        --package-dir DIR  extracted nsfwjs npm package, the folder with package.json
        --model-dir DIR    folder with model.min.js and group1-shard1of1.min.js
        --output DIR       folder to write model.onnx and backbone.json into
      """;

  private ImportNsfwjs() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command and returns its exit code, for {@link #main} and tests. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Path packageDir = null;
    Path modelDir = null;
    Path outputDir = null;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (option.equals("--help") || option.equals("-h")) {
        out.print(USAGE);
        return 0;
      }
      if (i + 1 >= args.length) {
        err.println("Missing value after " + option);
        err.print(USAGE);
        return 2;
      }
      Path value = Path.of(args[++i]);
      switch (option) {
        case "--package-dir" -> packageDir = value;
        case "--model-dir" -> modelDir = value;
        case "--output" -> outputDir = value;
        default -> {
          err.println("Unknown option " + option);
          err.print(USAGE);
          return 2;
        }
      }
    }
    if (outputDir == null || (packageDir == null) == (modelDir == null)) {
      err.println("Give --output and exactly one of --package-dir and --model-dir");
      err.print(USAGE);
      return 2;
    }

    try {
      Path source = modelDir != null ? modelDir
          : packageDir.resolve(NsfwjsMobileNetImporter.MODEL_PATH);
      out.println("Converting " + source);
      NsfwjsMobileNetImporter.ImportResult result =
          NsfwjsMobileNetImporter.importModel(source, outputDir);
      out.println((result.changed() ? "Wrote " : "Unchanged ") + result.onnxFile());
      out.println("  sha256 " + result.descriptor().sha256());
      for (StageInfo stage : result.descriptor().stages()) {
        out.println("  stage " + stage.name() + ": " + stage.channels() + " channels, stride "
            + stage.stride());
      }
      out.println("  classifier output " + NsfwjsMobileNetImporter.CLASSIFIER_OUTPUT + ": "
          + NsfwjsMobileNetImporter.CLASS_NAMES);
      out.println((result.changed() ? "Wrote " : "Unchanged ") + result.descriptorFile());
      try (OnnxFeatureExtractor extractor = OnnxFeatureExtractor.open(outputDir, 1)) {
        out.println("Checked: ONNX Runtime loads " + extractor.info().id()
            + " and its stage shapes match the descriptor");
      }
      return 0;
    } catch (IOException | IllegalArgumentException | BackboneException e) {
      err.println("Import failed: " + e.getMessage());
      return 1;
    }
  }
}
