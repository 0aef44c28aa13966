package org.flawmap.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a generic layout of three folders under ROOT: defect-free images, anomalous images and
 * their masks. The mask of {@code <abnormal>/<stem>.<ext>} is {@code <mask>/<stem>_mask.<ext>}
 * or {@code <mask>/<stem>.<ext>}, in any of png, jpg, jpeg, bmp. One error lists every
 * anomalous image without a mask.
 *
 * <p>Normal images for testing come from a separate folder when {@link Options#normalTestDir()}
 * is set; otherwise a seeded fraction of the normal folder ({@link Options#normalTestFraction()},
 * default 0.2) goes to test and the rest trains. That fraction is picked like one group of
 * {@link ValidationSplit}: sorted by id, shuffled with {@code java.util.Random(seed)}, at least
 * one image to test and at least one to train. Anomalous images are all test images, with the
 * abnormal folder's name as their defect type.
 */
public final class FolderReader implements DatasetReader {

  private static final Logger LOG = LoggerFactory.getLogger(FolderReader.class);

  /**
   * Folders and split settings. Folder paths are relative to the dataset root.
   *
   * @param normalDir defect-free images
   * @param abnormalDir anomalous images
   * @param maskDir masks of the anomalous images
   * @param normalTestDir defect-free test images, or null to take them from {@code normalDir}
   * @param normalTestFraction fraction of {@code normalDir} that goes to test, in (0, 1); unused
   *     when {@code normalTestDir} is set
   * @param seed seed of that split
   * @param maskThreshold mask value from which a pixel is defective, see {@link MaskReader}
   */
  public record Options(
      String normalDir,
      String abnormalDir,
      String maskDir,
      String normalTestDir,
      double normalTestFraction,
      long seed,
      int maskThreshold) {

    public Options {
      Objects.requireNonNull(normalDir, "normalDir");
      Objects.requireNonNull(abnormalDir, "abnormalDir");
      Objects.requireNonNull(maskDir, "maskDir");
      if (!(normalTestFraction > 0 && normalTestFraction < 1)) {
        throw new IllegalArgumentException(
            "normal test fraction must be strictly between 0 and 1, found " + normalTestFraction);
      }
      if (maskThreshold < 1 || maskThreshold > 255) {
        throw new IllegalArgumentException(
            "mask threshold must be in 1..255, found " + maskThreshold);
      }
    }

    /** Folders {@code normal}, {@code abnormal}, {@code mask}; 0.2 of normal to test; seed 0. */
    public static Options defaults() {
      return new Options("normal", "abnormal", "mask", null, 0.2, 0L,
          MaskReader.DEFAULT_THRESHOLD);
    }
  }

  private final Options options;

  public FolderReader() {
    this(Options.defaults());
  }

  public FolderReader(Options options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  public Options options() {
    return options;
  }

  @Override
  public Dataset read(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new DatasetException(
          "folder dataset %s does not exist or is not a folder".formatted(root));
    }
    LayoutProblems problems = new LayoutProblems(root, "folder layout");
    List<Sample> normal = listNormal(root, options.normalDir(), problems);
    List<Sample> normalTest = options.normalTestDir() == null
        ? List.of()
        : listNormal(root, options.normalTestDir(), problems);
    List<Sample> abnormal = listAbnormal(root, problems);
    problems.throwIfAny();

    List<Sample> train;
    List<Sample> test = new ArrayList<>(abnormal);
    if (options.normalTestDir() != null) {
      train = normal;
      test.addAll(normalTest);
    } else {
      train = new ArrayList<>();
      splitNormal(root, normal, train, test);
    }

    String product = DatasetFiles.folderName(root);
    LOG.info("Read folder dataset {}: {} train, {} test images ({} anomalous)",
        root, train.size(), test.size(), abnormal.size());
    return new Dataset(root, product, TreeLayout.sorted(train), List.of(),
        TreeLayout.sorted(test), options.maskThreshold());
  }

  private static List<Sample> listNormal(Path root, String folder, LayoutProblems problems)
      throws IOException {
    Path dir = root.resolve(folder);
    if (!Files.isDirectory(dir)) {
      problems.add("missing folder %s of defect-free images".formatted(dir));
      return List.of();
    }
    List<Sample> samples = new ArrayList<>();
    for (Path image : DatasetFiles.listImages(dir, root, problems)) {
      samples.add(new Sample(DatasetFiles.relativeId(root, image), image, null, Sample.GOOD,
          false));
    }
    if (samples.isEmpty()) {
      problems.add("%s contains no images (%s)".formatted(dir, DatasetFiles.EXTENSIONS));
    }
    return TreeLayout.sorted(samples);
  }

  private List<Sample> listAbnormal(Path root, LayoutProblems problems) throws IOException {
    Path dir = root.resolve(options.abnormalDir());
    if (!Files.isDirectory(dir)) {
      problems.add("missing folder %s of anomalous images".formatted(dir));
      return List.of();
    }
    Path maskDir = root.resolve(options.maskDir());
    if (!Files.isDirectory(maskDir)) {
      problems.add("missing mask folder %s".formatted(maskDir));
    }
    String defectType = dir.toAbsolutePath().normalize().getFileName().toString();
    DatasetFiles.MaskFolder masks = new DatasetFiles.MaskFolder(maskDir, root, problems);
    List<String> suffixes = List.of("_mask", "");
    List<Sample> samples = new ArrayList<>();
    for (Path image : DatasetFiles.listImages(dir, root, problems)) {
      String id = DatasetFiles.relativeId(root, image);
      Path mask = masks.find(id, suffixes, root, problems);
      if (mask == null) {
        problems.add("%s has no mask: expected %s".formatted(id,
            DatasetFiles.expectedMaskNames(maskDir, root, DatasetFiles.stem(image), suffixes)));
      }
      samples.add(new Sample(id, image, mask, defectType, true));
    }
    if (samples.isEmpty()) {
      problems.add("%s contains no images (%s)".formatted(dir, DatasetFiles.EXTENSIONS));
    }
    return TreeLayout.sorted(samples);
  }

  private void splitNormal(Path root, List<Sample> normal, List<Sample> train, List<Sample> test) {
    int n = normal.size();
    if (n < 2) {
      throw new DatasetException(
          "folder dataset %s has %d defect-free image in %s; it needs at least 2 (one to train,"
              .formatted(root, n, options.normalDir())
              + " one to test) or a separate normal test folder");
    }
    int k = (int) Math.min(n - 1, Math.max(1, Math.round(options.normalTestFraction() * n)));
    List<Sample> shuffled = new ArrayList<>(normal);
    Random random = new Random(options.seed());
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Sample swap = shuffled.get(i);
      shuffled.set(i, shuffled.get(j));
      shuffled.set(j, swap);
    }
    test.addAll(shuffled.subList(0, k));
    train.addAll(shuffled.subList(k, n));
  }
}
