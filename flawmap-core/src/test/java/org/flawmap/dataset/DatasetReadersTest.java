package org.flawmap.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetReadersTest {

  @TempDir Path dir;

  @Test
  void forLayoutReturnsReaders() {
    assertInstanceOf(MvtecReader.class, DatasetReaders.forLayout("mvtec"));
    assertInstanceOf(BtadReader.class, DatasetReaders.forLayout("BTAD"));
    assertInstanceOf(VisaReader.class, DatasetReaders.forLayout("visa"));
    assertInstanceOf(FolderReader.class, DatasetReaders.forLayout("folder"));
  }

  @Test
  void unknownLayoutListsKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DatasetReaders.forLayout("kitti"));
    assertTrue(e.getMessage().contains("[mvtec, btad, visa, folder]"), e.getMessage());
  }

  private Path folder(String name, String... children) throws IOException {
    Path root = dir.resolve(name);
    for (String child : children) {
      if (child.endsWith(".csv")) {
        Files.createDirectories(root.resolve(child).getParent());
        Files.writeString(root.resolve(child), "object,split,label,image,mask\n");
      } else {
        Files.createDirectories(root.resolve(child));
      }
    }
    Files.createDirectories(root);
    return root;
  }

  @Test
  void detectsEachLayout() throws IOException {
    assertEquals("mvtec", DatasetReaders.detect(folder("m", "train/good", "test/good")));
    assertEquals("btad", DatasetReaders.detect(folder("b", "train/ok", "test/ko")));
    assertEquals("visa", DatasetReaders.detect(folder("v", "split_csv/1cls.csv", "candle")));
    assertEquals("folder", DatasetReaders.detect(folder("f", "normal", "abnormal", "mask")));
  }

  @Test
  void undetectableListsWhatItLookedFor() throws IOException {
    DatasetException e = assertThrows(DatasetException.class,
        () -> DatasetReaders.detect(folder("empty", "images")));
    String message = e.getMessage();
    assertTrue(message.contains("train/good/ (mvtec)"), message);
    assertTrue(message.contains("train/ok/ (btad)"), message);
    assertTrue(message.contains("split_csv/1cls.csv (visa)"), message);
    assertTrue(message.contains("normal/ and abnormal/ (folder)"), message);
  }

  @Test
  void ambiguousLayoutRejected() throws IOException {
    DatasetException e = assertThrows(DatasetException.class,
        () -> DatasetReaders.detect(folder("both", "train/good", "train/ok")));
    assertTrue(e.getMessage().contains("[mvtec, btad]"), e.getMessage());
  }
}
