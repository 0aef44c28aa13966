package org.flawmap.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.flawmap.backbone.onnx.BackboneDescriptor;
import org.flawmap.backbone.onnx.OnnxFeatureExtractor;
import org.flawmap.model.io.ModelBundle;

/**
 * Finds backbones: a name is looked up under {@code FLAWMAP_HOME/backbones/NAME}, where the
 * set-up command installs them; anything else is taken as a folder with {@code backbone.json}.
 */
final class Backbones {

  static final String DEFAULT = "mobilenet_v2_nsfwjs";

  /** An opened backbone with the bytes that a model file embeds. */
  record Loaded(OnnxFeatureExtractor extractor, byte[] onnx, byte[] descriptor)
      implements AutoCloseable {
    @Override
    public void close() {
      extractor.close();
    }
  }

  private Backbones() {}

  static Path home() {
    return Path.of(System.getProperty("flawmap.home", "."));
  }

  static Path resolve(String nameOrFolder) {
    Path asFolder = Path.of(nameOrFolder);
    if (Files.isRegularFile(asFolder.resolve(BackboneDescriptor.FILE_NAME))) {
      return asFolder;
    }
    Path installed = home().resolve("backbones").resolve(nameOrFolder);
    if (Files.isRegularFile(installed.resolve(BackboneDescriptor.FILE_NAME))) {
      return installed;
    }
    throw new IllegalArgumentException(
        ("backbone '%s' not found: it is neither a folder with %s nor installed under %s"
                + " (installed: %s); run ./setup.sh to install the default backbone")
            .formatted(nameOrFolder, BackboneDescriptor.FILE_NAME, home().resolve("backbones"),
                installed()));
  }

  static List<String> installed() {
    Path folder = home().resolve("backbones");
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(folder)) {
      try (Stream<Path> list = Files.list(folder)) {
        list.filter(p -> Files.isRegularFile(p.resolve(BackboneDescriptor.FILE_NAME)))
            .map(p -> p.getFileName().toString())
            .sorted()
            .forEach(names::add);
      } catch (IOException e) {
        throw new IllegalStateException("cannot list " + folder + ": " + e.getMessage(), e);
      }
    }
    return names;
  }

  static Loaded open(String nameOrFolder, int threads) throws IOException {
    Path folder = resolve(nameOrFolder);
    OnnxFeatureExtractor extractor = OnnxFeatureExtractor.open(folder, threads);
    byte[] descriptor = Files.readAllBytes(folder.resolve(BackboneDescriptor.FILE_NAME));
    byte[] onnx = Files.readAllBytes(folder.resolve(extractor.descriptor().onnx()));
    return new Loaded(extractor, onnx, descriptor);
  }

  /** Opens the backbone embedded in a model file. */
  static OnnxFeatureExtractor open(ModelBundle bundle, Path modelFile, int threads) {
    BackboneDescriptor descriptor =
        BackboneDescriptor.parse(
            new String(bundle.backboneDescriptor(), StandardCharsets.UTF_8),
            modelFile + " (embedded backbone.json)");
    return OnnxFeatureExtractor.fromBytes(bundle.backboneOnnx(), descriptor, threads);
  }
}
