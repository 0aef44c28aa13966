package org.flawmap.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flawmap.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BtadReaderTest {

  @TempDir Path dir;

  private Path writeTree() {
    Path root = dir.resolve("01");
    TestImages.writeConstantGray(root.resolve("train/ok/0000.bmp"), 8, 8, 120);
    TestImages.writeConstantGray(root.resolve("train/ok/0001.bmp"), 8, 8, 121);
    TestImages.writeConstantGray(root.resolve("test/ok/0000.bmp"), 8, 8, 122);
    TestImages.writeConstantGray(root.resolve("test/ko/0005.bmp"), 8, 8, 30);
    TestImages.writeConstantGray(root.resolve("test/ko/0006.png"), 8, 8, 30);
    TestImages.writeRectMask(root.resolve("ground_truth/ko/0005.png"), 8, 8, 1, 1, 4, 4);
    TestImages.writeRectMask(root.resolve("ground_truth/ko/0006.bmp"), 8, 8, 2, 2, 4, 4);
    return root;
  }

  @Test
  void readsOkAndKoFolders() throws IOException {
    Path root = writeTree();
    Dataset dataset = new BtadReader().read(root);
    assertEquals("01", dataset.product());
    assertEquals(2, dataset.train().size());
    assertEquals(List.of("test/ko/0005.bmp", "test/ko/0006.png", "test/ok/0000.bmp"),
        dataset.test().stream().map(Sample::id).toList());

    Sample ko = dataset.test().get(0);
    assertTrue(ko.anomalous());
    assertEquals("ko", ko.defectType());
    assertEquals(root.resolve("ground_truth/ko/0005.png"), ko.mask());
    assertEquals(root.resolve("ground_truth/ko/0006.bmp"), dataset.test().get(1).mask());
    Sample ok = dataset.test().get(2);
    assertFalse(ok.anomalous());
    assertEquals(Sample.GOOD, ok.defectType());

    LoadedSample loaded = new SampleLoader(dataset, OnBadFile.FAIL).load(ko).orElseThrow();
    assertEquals(9, loaded.mask().countDefective());
  }

  @Test
  void missingMaskNamesImage() throws IOException {
    Path root = writeTree();
    Files.delete(root.resolve("ground_truth/ko/0006.bmp"));
    DatasetException e = assertThrows(DatasetException.class, () -> new BtadReader().read(root));
    assertTrue(e.getMessage().contains("test/ko/0006.png has no mask"), e.getMessage());
    assertTrue(e.getMessage().contains("ground_truth/ko/0006.<png|jpg|jpeg|bmp>"),
        e.getMessage());
  }

  @Test
  void missingTrainOkRejected() throws IOException {
    Path root = writeTree();
    Files.delete(root.resolve("train/ok/0000.bmp"));
    Files.delete(root.resolve("train/ok/0001.bmp"));
    Files.delete(root.resolve("train/ok"));
    DatasetException e = assertThrows(DatasetException.class, () -> new BtadReader().read(root));
    assertTrue(e.getMessage().contains("missing folder train/ok/"), e.getMessage());
  }
}
