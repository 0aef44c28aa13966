package org.flawmap.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flawmap.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VisaReaderTest {

  @TempDir Path root;

  private static final String HEADER = "object,split,label,image,mask";

  /** Writes two objects; candle masks store label values 1 and 2, as raw VisA masks do. */
  private void writeTree(String... extraRows) throws IOException {
    for (String object : List.of("candle", "pcb1")) {
      String images = object + "/Data/Images/";
      TestImages.writeConstantGray(root.resolve(images + "Normal/0000.JPG"), 10, 6, 100);
      TestImages.writeConstantGray(root.resolve(images + "Normal/0001.JPG"), 10, 6, 100);
      TestImages.writeConstantGray(root.resolve(images + "Normal/0002.JPG"), 10, 6, 100);
      TestImages.writeConstantGray(root.resolve(images + "Anomaly/000.JPG"), 10, 6, 20);
      int[] labels = new int[60];
      labels[0] = 1;
      labels[1] = 2;
      labels[59] = 1;
      TestImages.write(TestImages.gray(10, 6, labels),
          root.resolve(object + "/Data/Masks/Anomaly/000.png"));
    }
    StringBuilder csv = new StringBuilder(HEADER + "\n");
    for (String object : List.of("pcb1", "candle")) {
      String images = object + "/Data/Images/";
      csv.append(object).append(",train,normal,").append(images).append("Normal/0001.JPG,\n");
      csv.append(object).append(",train,normal,").append(images).append("Normal/0000.JPG,\n");
      csv.append(object).append(",test,normal,").append(images).append("Normal/0002.JPG,\n");
      csv.append(object).append(",test,anomaly,").append(images).append("Anomaly/000.JPG,")
          .append(object).append("/Data/Masks/Anomaly/000.png\n");
    }
    for (String row : extraRows) {
      csv.append(row).append('\n');
    }
    Files.createDirectories(root.resolve("split_csv"));
    Files.writeString(root.resolve(VisaReader.DEFAULT_SPLIT_CSV), csv);
  }

  @Test
  void readsOneObjectWithNonzeroMasks() throws IOException {
    writeTree();
    Dataset dataset = new VisaReader("candle").read(root);
    assertEquals("candle", dataset.product());
    assertEquals(MaskReader.NONZERO_THRESHOLD, dataset.maskThreshold());
    assertEquals(List.of("candle/Data/Images/Normal/0000.JPG",
        "candle/Data/Images/Normal/0001.JPG"), dataset.train().stream().map(Sample::id).toList());
    assertEquals(2, dataset.test().size());
    Sample anomaly = dataset.test().get(0);
    assertEquals(VisaReader.ANOMALY, anomaly.defectType());
    assertTrue(anomaly.anomalous());
    assertEquals(root.resolve("candle/Data/Masks/Anomaly/000.png"), anomaly.mask());

    LoadedSample loaded = new SampleLoader(dataset, OnBadFile.FAIL).load(anomaly).orElseThrow();
    assertEquals(3, loaded.mask().countDefective());
  }

  @Test
  void severalObjectsNeedProduct() throws IOException {
    writeTree();
    DatasetException e = assertThrows(DatasetException.class, () -> new VisaReader().read(root));
    assertTrue(e.getMessage().contains("[candle, pcb1]"), e.getMessage());
    DatasetException unknown = assertThrows(DatasetException.class,
        () -> new VisaReader("fryum").read(root));
    assertTrue(unknown.getMessage().contains("no object fryum"), unknown.getMessage());
  }

  @Test
  void missingFilesAndBadRowsAllListed() throws IOException {
    writeTree(
        "candle,test,anomaly,candle/Data/Images/Anomaly/404.JPG,candle/Data/Masks/Anomaly/404.png",
        "candle,train,anomaly,candle/Data/Images/Anomaly/000.JPG,x.png",
        "candle,test,broken,candle/Data/Images/Normal/0002.JPG,");
    DatasetException e = assertThrows(DatasetException.class,
        () -> new VisaReader("candle").read(root));
    String message = e.getMessage();
    assertTrue(message.contains("Anomaly/404.JPG not found"), message);
    assertTrue(message.contains("Anomaly/404.png not found"), message);
    assertTrue(message.contains("line 11: anomalous image"), message);
    assertTrue(message.contains("line 12: label broken"), message);
  }

  @Test
  void customCsvAndMissingCsv() throws IOException {
    writeTree();
    Path custom = root.resolve("my.csv");
    Files.writeString(custom, HEADER + "\n"
        + "pcb1,train,normal,pcb1/Data/Images/Normal/0000.JPG,\n"
        + "pcb1,test,anomaly,\"pcb1/Data/Images/Anomaly/000.JPG\","
        + "pcb1/Data/Masks/Anomaly/000.png\n");
    Dataset dataset = new VisaReader(Path.of("my.csv"), null).read(root);
    assertEquals("pcb1", dataset.product());
    assertEquals(1, dataset.train().size());
    assertEquals(1, dataset.test().size());

    DatasetException e = assertThrows(DatasetException.class,
        () -> new VisaReader(Path.of("absent.csv"), "pcb1").read(root));
    assertTrue(e.getMessage().contains("absent.csv"), e.getMessage());
  }

  @Test
  void headerWithoutColumnsRejected() throws IOException {
    writeTree();
    Files.writeString(root.resolve(VisaReader.DEFAULT_SPLIT_CSV), "object,split,image\n");
    DatasetException e = assertThrows(DatasetException.class,
        () -> new VisaReader("candle").read(root));
    assertTrue(e.getMessage().contains("needs the columns"), e.getMessage());
  }

  @Test
  void csvLineSplitsQuotedFields() {
    assertEquals(List.of("a", "b,c", "d\"e", ""), VisaReader.splitCsvLine("a,\"b,c\",\"d\"\"e\","));
  }
}
