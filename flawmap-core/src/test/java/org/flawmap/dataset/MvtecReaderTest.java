package org.flawmap.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flawmap.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MvtecReaderTest {

  @TempDir Path dir;

  private Path root() {
    return dir.resolve("widget");
  }

  private void image(String relative) {
    TestImages.writeConstantGray(root().resolve(relative), 8, 6, 100);
  }

  private void mask(String relative) {
    TestImages.writeRectMask(root().resolve(relative), 8, 6, 2, 2, 5, 4);
  }

  /** Writes a valid tree: 3 train, 2 test good, 2 crack and 1 hole with masks. */
  private void writeValidTree() {
    image("train/good/b.png");
    image("train/good/a.png");
    image("train/good/c.PNG");
    image("test/good/x.png");
    image("test/good/y.bmp");
    image("test/crack/001.png");
    image("test/crack/000.JPG");
    image("test/hole/h.jpeg");
    mask("ground_truth/crack/000_mask.png");
    mask("ground_truth/crack/001_mask.BMP");
    mask("ground_truth/hole/h_mask.png");
  }

  private static List<String> ids(List<Sample> samples) {
    return samples.stream().map(Sample::id).toList();
  }

  @Test
  void readsValidTreeSorted() throws IOException {
    writeValidTree();
    Dataset dataset = new MvtecReader().read(root());

    assertEquals("widget", dataset.product());
    assertEquals(MaskReader.DEFAULT_THRESHOLD, dataset.maskThreshold());
    assertEquals(List.of("train/good/a.png", "train/good/b.png", "train/good/c.PNG"),
        ids(dataset.train()));
    assertEquals(List.of("test/crack/000.JPG", "test/crack/001.png", "test/good/x.png",
        "test/good/y.bmp", "test/hole/h.jpeg"), ids(dataset.test()));
    assertTrue(dataset.validation().isEmpty());

    Sample crack = dataset.test().get(0);
    assertTrue(crack.anomalous());
    assertEquals("crack", crack.defectType());
    assertEquals(root().resolve("ground_truth/crack/000_mask.png"), crack.mask());
    assertEquals(root().resolve("ground_truth/crack/001_mask.BMP"), dataset.test().get(1).mask());
    Sample good = dataset.test().get(2);
    assertFalse(good.anomalous());
    assertEquals(Sample.GOOD, good.defectType());
    assertNull(good.mask());
    for (Sample sample : dataset.train()) {
      assertFalse(sample.anomalous());
      assertNull(sample.mask());
    }
  }

  @Test
  void usesValidationFolder() throws IOException {
    writeValidTree();
    image("validation/good/v.png");
    image("validation/crack/v2.png");
    mask("ground_truth/crack/v2_mask.png");
    Dataset dataset = new MvtecReader().read(root());
    assertEquals(List.of("validation/crack/v2.png", "validation/good/v.png"),
        ids(dataset.validation()));
    assertEquals(root().resolve("ground_truth/crack/v2_mask.png"),
        dataset.validation().get(0).mask());
    assertEquals(5, dataset.test().size());
  }

  @Test
  void acceptsMaskWithImageStem() throws IOException {
    writeValidTree();
    Files.delete(root().resolve("ground_truth/hole/h_mask.png"));
    mask("ground_truth/hole/h.png");
    Dataset dataset = new MvtecReader().read(root());
    assertEquals(root().resolve("ground_truth/hole/h.png"), dataset.test().get(4).mask());
  }

  @Test
  void ignoresHiddenAndSystemFiles() throws IOException {
    writeValidTree();
    Files.writeString(root().resolve("train/good/.DS_Store"), "x");
    Files.writeString(root().resolve("test/crack/Thumbs.db"), "x");
    Files.createDirectories(root().resolve("test/.ipynb_checkpoints"));
    Dataset dataset = new MvtecReader().read(root());
    assertEquals(3, dataset.train().size());
    assertEquals(5, dataset.test().size());
  }

  private DatasetException assertInvalid(String... expectedParts) {
    DatasetException e = assertThrows(DatasetException.class,
        () -> new MvtecReader().read(root()));
    for (String part : expectedParts) {
      assertTrue(e.getMessage().contains(part), "message lacks " + part + ": " + e.getMessage());
    }
    return e;
  }

  @Test
  void missingTrainGoodRejected() throws IOException {
    writeValidTree();
    for (String name : List.of("a.png", "b.png", "c.PNG")) {
      Files.delete(root().resolve("train/good").resolve(name));
    }
    Files.delete(root().resolve("train/good"));
    assertInvalid("train/good/", root().toString());
  }

  @Test
  void emptyTrainGoodRejected() throws IOException {
    writeValidTree();
    for (String name : List.of("a.png", "b.png", "c.PNG")) {
      Files.delete(root().resolve("train/good").resolve(name));
    }
    assertInvalid("train/good/ contains no images");
  }

  @Test
  void missingMasksAllNamed() throws IOException {
    writeValidTree();
    Files.delete(root().resolve("ground_truth/crack/000_mask.png"));
    Files.delete(root().resolve("ground_truth/hole/h_mask.png"));
    DatasetException e = assertInvalid("test/crack/000.JPG has no mask",
        "ground_truth/crack/000_mask.<png|jpg|jpeg|bmp>", "test/hole/h.jpeg has no mask");
    assertTrue(e.getMessage().contains("2 problems"), e.getMessage());
  }

  @Test
  void nonImageFilesRejected() throws IOException {
    writeValidTree();
    Files.writeString(root().resolve("test/crack/notes.txt"), "x");
    Files.writeString(root().resolve("train/good/scan.tiff"), "x");
    assertInvalid("test/crack/notes.txt is not an image file", "train/good/scan.tiff");
  }

  @Test
  void nestedFolderRejected() throws IOException {
    writeValidTree();
    image("test/crack/more/z.png");
    assertInvalid("unexpected folder test/crack/more/");
  }

  @Test
  void defectFolderInTrainRejected() throws IOException {
    writeValidTree();
    image("train/crack/t.png");
    assertInvalid("train/crack", "defect-free images only");
  }

  @Test
  void missingTestRejected() throws IOException {
    image("train/good/a.png");
    assertInvalid("missing folder test/");
  }

  @Test
  void ambiguousMasksRejected() throws IOException {
    writeValidTree();
    mask("ground_truth/hole/h_mask.bmp");
    assertInvalid("ambiguous masks", "ground_truth/hole/h_mask.bmp",
        "ground_truth/hole/h_mask.png");
  }

  @Test
  void missingRootRejected() {
    DatasetException e = assertThrows(DatasetException.class,
        () -> new MvtecReader().read(dir.resolve("absent")));
    assertTrue(e.getMessage().contains("absent"), e.getMessage());
  }

  @Test
  void validateLayoutFindsRemovedAndEmptyFiles() throws IOException {
    writeValidTree();
    Dataset dataset = new MvtecReader().read(root());
    DatasetValidator.validateLayout(dataset);

    Files.delete(root().resolve("test/good/x.png"));
    Files.write(root().resolve("ground_truth/hole/h_mask.png"), new byte[0]);
    Files.writeString(root().resolve("train/good/a.png"), "text, not an image");
    List<String> problems = DatasetValidator.findLayoutProblems(dataset);
    assertEquals(3, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("train/good/a.png"), problems.get(0));
    assertTrue(problems.get(0).contains("not an image"), problems.get(0));
    assertTrue(problems.get(1).contains("test/good/x.png"), problems.get(1));
    assertTrue(problems.get(2).contains("h_mask.png is empty"), problems.get(2));
    assertThrows(DatasetException.class, () -> DatasetValidator.validateLayout(dataset));
  }
}
