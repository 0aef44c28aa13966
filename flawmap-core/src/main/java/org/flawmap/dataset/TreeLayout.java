package org.flawmap.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reader for layouts of the MVTec AD family: {@code train/<normal>/}, {@code test/<type>/} and
 * an optional {@code validation/<type>/}, with the mask of {@code <split>/<type>/<stem>.<ext>}
 * in {@code ground_truth/<type>/} under the image stem plus one of {@link #maskSuffixes}.
 *
 * @param layout layout name for messages, for example {@code MVTec AD}
 * @param normalFolder folder name of defect-free images, {@code good} or {@code ok}
 * @param maskSuffixes suffixes after the image stem to try, in order, for the mask name
 */
record TreeLayout(String layout, String normalFolder, List<String> maskSuffixes) {

  private static final Logger LOG = LoggerFactory.getLogger(TreeLayout.class);

  static final String TRAIN = "train";
  static final String TEST = "test";
  static final String VALIDATION = "validation";
  static final String GROUND_TRUTH = "ground_truth";

  Dataset read(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new DatasetException(
          "%s dataset folder %s does not exist or is not a folder".formatted(layout, root));
    }
    LayoutProblems problems = new LayoutProblems(root, layout);
    Map<String, DatasetFiles.MaskFolder> maskFolders = new HashMap<>();

    List<Sample> train = readTrain(root, problems);
    List<Sample> test = readSplit(root, TEST, true, maskFolders, problems);
    List<Sample> validation = Files.isDirectory(root.resolve(VALIDATION))
        ? readSplit(root, VALIDATION, false, maskFolders, problems)
        : List.of();

    problems.throwIfAny();
    warnUnusedMasks(root, maskFolders);
    if (test.stream().noneMatch(sample -> !sample.anomalous())) {
      LOG.warn("{} dataset {} has no images in {}/{}/; image-level metrics need defect-free test"
          + " images", layout, root, TEST, normalFolder);
    }
    String product = DatasetFiles.folderName(root);
    LOG.info("Read {} dataset {}: {} train, {} validation, {} test images",
        layout, root, train.size(), validation.size(), test.size());
    return new Dataset(root, product, train, validation, test);
  }

  private List<Sample> readTrain(Path root, LayoutProblems problems) throws IOException {
    Path trainDir = root.resolve(TRAIN);
    Path normalDir = trainDir.resolve(normalFolder);
    if (!Files.isDirectory(normalDir)) {
      problems.add("missing folder %s/%s/: %s trains on the defect-free images in it"
          .formatted(TRAIN, normalFolder, layout));
      return List.of();
    }
    for (Path entry : DatasetFiles.listVisible(trainDir)) {
      if (!entry.equals(normalDir)) {
        problems.add("unexpected %s in %s/: only %s/ belongs there, because training uses"
            .formatted(DatasetFiles.relativeId(root, entry), TRAIN, normalFolder)
            + " defect-free images only");
      }
    }
    List<Sample> train = new ArrayList<>();
    for (Path image : DatasetFiles.listImages(normalDir, root, problems)) {
      train.add(new Sample(DatasetFiles.relativeId(root, image), image, null, Sample.GOOD, false));
    }
    if (train.isEmpty()) {
      problems.add("%s/%s/ contains no images (%s)"
          .formatted(TRAIN, normalFolder, DatasetFiles.EXTENSIONS));
    }
    return sorted(train);
  }

  private List<Sample> readSplit(
      Path root,
      String split,
      boolean required,
      Map<String, DatasetFiles.MaskFolder> maskFolders,
      LayoutProblems problems)
      throws IOException {
    Path splitDir = root.resolve(split);
    if (!Files.isDirectory(splitDir)) {
      if (required) {
        problems.add("missing folder %s/: it must contain %s/ and one folder per defect type"
            .formatted(split, normalFolder));
      }
      return List.of();
    }
    List<Sample> samples = new ArrayList<>();
    for (Path entry : DatasetFiles.listVisible(splitDir)) {
      if (!Files.isDirectory(entry)) {
        problems.add("%s is a file directly in %s/; put it in %s/%s/ or a defect-type folder"
            .formatted(DatasetFiles.relativeId(root, entry), split, split, normalFolder));
        continue;
      }
      String type = entry.getFileName().toString();
      List<Path> images = DatasetFiles.listImages(entry, root, problems);
      if (images.isEmpty()) {
        LOG.warn("{} dataset {}: folder {}/{}/ contains no images", layout, root, split, type);
      }
      for (Path image : images) {
        samples.add(toSample(root, image, type, maskFolders, problems));
      }
    }
    if (samples.isEmpty()) {
      problems.add("%s/ contains no images".formatted(split));
    }
    return sorted(samples);
  }

  private Sample toSample(
      Path root,
      Path image,
      String type,
      Map<String, DatasetFiles.MaskFolder> maskFolders,
      LayoutProblems problems)
      throws IOException {
    String id = DatasetFiles.relativeId(root, image);
    if (type.equals(normalFolder)) {
      return new Sample(id, image, null, Sample.GOOD, false);
    }
    DatasetFiles.MaskFolder masks = maskFolders.get(type);
    if (masks == null) {
      masks = new DatasetFiles.MaskFolder(root.resolve(GROUND_TRUTH).resolve(type), root,
          problems);
      maskFolders.put(type, masks);
    }
    Path mask = masks.find(id, maskSuffixes, root, problems);
    if (mask == null) {
      problems.add("%s has no mask: expected %s".formatted(id, DatasetFiles.expectedMaskNames(
          masks.dir(), root, DatasetFiles.stem(image), maskSuffixes)));
    }
    return new Sample(id, image, mask, type, true);
  }

  private void warnUnusedMasks(Path root, Map<String, DatasetFiles.MaskFolder> maskFolders) {
    List<String> unused = new ArrayList<>();
    for (DatasetFiles.MaskFolder folder : maskFolders.values()) {
      for (Path mask : folder.unused()) {
        unused.add(DatasetFiles.relativeId(root, mask));
      }
    }
    if (!unused.isEmpty()) {
      unused.sort(null);
      LOG.warn("{} dataset {}: {} masks match no image and are ignored, for example {}",
          layout, root, unused.size(), unused.subList(0, Math.min(5, unused.size())));
    }
  }

  static List<Sample> sorted(List<Sample> samples) {
    List<Sample> copy = new ArrayList<>(samples);
    copy.sort(Comparator.comparing(Sample::id));
    return copy;
  }
}
