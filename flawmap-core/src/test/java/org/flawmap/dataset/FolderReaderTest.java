package org.flawmap.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.flawmap.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderReaderTest {

  @TempDir Path dir;

  private Path root() {
    return dir.resolve("parts");
  }

  private void writeTree() {
    for (int i = 0; i < 10; i++) {
      TestImages.writeConstantGray(root().resolve("normal/n%02d.png".formatted(i)), 6, 6, 90);
    }
    for (String name : List.of("a", "b", "c")) {
      TestImages.writeConstantGray(root().resolve("abnormal/" + name + ".jpg"), 6, 6, 10);
    }
    TestImages.writeRectMask(root().resolve("mask/a_mask.png"), 6, 6, 0, 0, 2, 2);
    TestImages.writeRectMask(root().resolve("mask/b.png"), 6, 6, 0, 0, 2, 2);
    TestImages.writeRectMask(root().resolve("mask/c_mask.bmp"), 6, 6, 0, 0, 2, 2);
  }

  private static FolderReader.Options options(double fraction, long seed) {
    FolderReader.Options d = FolderReader.Options.defaults();
    return new FolderReader.Options(d.normalDir(), d.abnormalDir(), d.maskDir(), null, fraction,
        seed, d.maskThreshold());
  }

  @Test
  void readsWithSeededNormalSplit() throws IOException {
    writeTree();
    Dataset dataset = new FolderReader().read(root());
    assertEquals("parts", dataset.product());
    assertEquals(8, dataset.train().size());
    assertEquals(5, dataset.test().size());
    long anomalous = dataset.test().stream().filter(Sample::anomalous).count();
    assertEquals(3, anomalous);
    Sample b = dataset.test().stream().filter(s -> s.id().equals("abnormal/b.jpg")).findFirst()
        .orElseThrow();
    assertEquals(root().resolve("mask/b.png"), b.mask());
    assertEquals("abnormal", b.defectType());

    Set<String> ids = new HashSet<>();
    dataset.train().forEach(s -> ids.add(s.id()));
    dataset.test().forEach(s -> ids.add(s.id()));
    assertEquals(13, ids.size(), "train and test are disjoint and cover every image");
  }

  @Test
  void normalSplitDependsOnSeedOnly() throws IOException {
    writeTree();
    List<Sample> first = new FolderReader(options(0.3, 11)).read(root()).train();
    List<Sample> again = new FolderReader(options(0.3, 11)).read(root()).train();
    List<Sample> other = new FolderReader(options(0.3, 12)).read(root()).train();
    assertEquals(7, first.size());
    assertEquals(first, again);
    assertNotEquals(first, other);
  }

  @Test
  void normalTestFolderReplacesFraction() throws IOException {
    writeTree();
    TestImages.writeConstantGray(root().resolve("normal_test/t.png"), 6, 6, 90);
    FolderReader.Options d = FolderReader.Options.defaults();
    FolderReader.Options withTestDir = new FolderReader.Options(d.normalDir(), d.abnormalDir(),
        d.maskDir(), "normal_test", d.normalTestFraction(), d.seed(), d.maskThreshold());
    Dataset dataset = new FolderReader(withTestDir).read(root());
    assertEquals(10, dataset.train().size());
    assertEquals(4, dataset.test().size());
    assertTrue(dataset.test().stream().anyMatch(s -> s.id().equals("normal_test/t.png")));
  }

  @Test
  void everyMissingMaskNamedInOneError() throws IOException {
    writeTree();
    Files.delete(root().resolve("mask/a_mask.png"));
    Files.delete(root().resolve("mask/c_mask.bmp"));
    DatasetException e = assertThrows(DatasetException.class,
        () -> new FolderReader().read(root()));
    String message = e.getMessage();
    assertTrue(message.contains("abnormal/a.jpg has no mask"), message);
    assertTrue(message.contains("abnormal/c.jpg has no mask"), message);
    assertTrue(message.contains("mask/a_mask.<png|jpg|jpeg|bmp> or mask/a.<png|jpg|jpeg|bmp>"),
        message);
    assertTrue(message.contains("2 problems"), message);
  }

  @Test
  void invalidFractionRejected() {
    assertThrows(IllegalArgumentException.class, () -> options(0, 1));
    assertThrows(IllegalArgumentException.class, () -> options(1, 1));
  }

  @Test
  void singleNormalImageRejected() throws IOException {
    TestImages.writeConstantGray(root().resolve("normal/n.png"), 6, 6, 90);
    TestImages.writeConstantGray(root().resolve("abnormal/a.png"), 6, 6, 10);
    TestImages.writeRectMask(root().resolve("mask/a.png"), 6, 6, 0, 0, 1, 1);
    DatasetException e = assertThrows(DatasetException.class,
        () -> new FolderReader().read(root()));
    assertTrue(e.getMessage().contains("at least 2"), e.getMessage());
  }
}
