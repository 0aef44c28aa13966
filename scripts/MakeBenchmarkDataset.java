import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Writes the fit benchmark dataset: N training images of SIZE×SIZE pixels, made by scaling the
 * first N training images of a source dataset in the MVTec AD layout, plus the source's test
 * images and masks unchanged (for the validation split). Run with the JDK's source launcher:
 *
 * <pre>java scripts/MakeBenchmarkDataset.java SOURCE_DIR TARGET_DIR N SIZE</pre>
 */
public final class MakeBenchmarkDataset {

  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      System.err.println("usage: java scripts/MakeBenchmarkDataset.java SOURCE TARGET N SIZE");
      System.exit(2);
    }
    Path source = Path.of(args[0]);
    Path target = Path.of(args[1]);
    int count = Integer.parseInt(args[2]);
    int size = Integer.parseInt(args[3]);

    List<Path> train;
    try (Stream<Path> files = Files.list(source.resolve("train/good"))) {
      train = files.sorted().limit(count).toList();
    }
    if (train.size() < count) {
      throw new IllegalArgumentException(
          "only " + train.size() + " training images in " + source + ", need " + count);
    }
    Path out = target.resolve("train/good");
    Files.createDirectories(out);
    for (Path file : train) {
      BufferedImage image = ImageIO.read(file.toFile());
      BufferedImage scaled = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
      var g = scaled.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
          RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(image, 0, 0, size, size, null);
      g.dispose();
      String name = file.getFileName().toString().replaceAll("\\.[^.]+$", ".jpg");
      ImageIO.write(scaled, "jpg", out.resolve(name).toFile());
    }
    for (String folder : List.of("test", "ground_truth")) {
      copyTree(source.resolve(folder), target.resolve(folder));
    }
    System.out.println("wrote " + count + " images of " + size + "x" + size + " to " + out);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
