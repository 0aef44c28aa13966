package org.flawmap.dataset;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one product (object) of VisA from the dataset root and a split CSV, by default
 * {@value #DEFAULT_SPLIT_CSV} under the root. The CSV has a header with the columns
 * {@code object, split, label, image, mask}: split is {@code train} or {@code test}, label is
 * {@code normal} or {@code anomaly}, and image and mask are paths relative to the root (mask is
 * empty for normal images).
 *
 * <p>Anomalous samples get the defect type {@value #ANOMALY}, because the CSV has no per-type
 * labels. Sample ids are the CSV image paths, so they are relative to the VisA root and start
 * with the object name. The raw VisA masks mark defects with small nonzero values, not 255, so
 * the dataset's mask threshold is {@link MaskReader#NONZERO_THRESHOLD}, as in the official
 * preparation script of VisA, which sets every nonzero mask value to 255.
 */
public final class VisaReader implements DatasetReader {

  private static final Logger LOG = LoggerFactory.getLogger(VisaReader.class);

  /** Split CSV used when none is given, relative to the VisA root. */
  public static final String DEFAULT_SPLIT_CSV = "split_csv/1cls.csv";

  /** Defect type of every anomalous VisA sample. */
  public static final String ANOMALY = "anomaly";

  private static final List<String> COLUMNS = List.of("object", "split", "label", "image", "mask");

  private final Path splitCsv;
  private final String product;

  /** Reads {@value #DEFAULT_SPLIT_CSV}; the CSV must then list a single object. */
  public VisaReader() {
    this(null, null);
  }

  /** Reads the object {@code product} from {@value #DEFAULT_SPLIT_CSV}. */
  public VisaReader(String product) {
    this(null, product);
  }

  /**
   * @param splitCsv split CSV, resolved against the root when relative, or null for
   *     {@value #DEFAULT_SPLIT_CSV}
   * @param product object to read, or null when the CSV lists a single object
   */
  public VisaReader(Path splitCsv, String product) {
    this.splitCsv = splitCsv;
    this.product = product;
  }

  @Override
  public Dataset read(Path root) throws IOException {
    Path csv = root.resolve(splitCsv != null ? splitCsv : Path.of(DEFAULT_SPLIT_CSV));
    if (!Files.isRegularFile(csv)) {
      throw new DatasetException(
          "VisA split CSV %s not found; pass the CSV, or the VisA root that contains %s"
              .formatted(csv, DEFAULT_SPLIT_CSV));
    }
    List<Row> rows = parse(csv);
    String object = chooseObject(rows, csv);

    LayoutProblems problems = new LayoutProblems(root, "VisA");
    List<Sample> train = new ArrayList<>();
    List<Sample> test = new ArrayList<>();
    for (Row row : rows) {
      if (row.object.equals(object)) {
        toSample(root, csv, row, problems, row.split.equals("train") ? train : test);
      }
    }
    if (train.isEmpty()) {
      problems.add("%s lists no train images of %s".formatted(csv, object));
    }
    if (test.isEmpty()) {
      problems.add("%s lists no test images of %s".formatted(csv, object));
    }
    problems.throwIfAny();

    LOG.info("Read VisA object {} from {}: {} train, {} test images", object, csv, train.size(),
        test.size());
    return new Dataset(root, object, TreeLayout.sorted(train), List.of(),
        TreeLayout.sorted(test), MaskReader.NONZERO_THRESHOLD);
  }

  private record Row(int line, String object, String split, String label, String image,
      String mask) {}

  private static void toSample(
      Path root, Path csv, Row row, LayoutProblems problems, List<Sample> target) {
    String where = csv.getFileName() + " line " + row.line;
    boolean anomalous = row.label.equals("anomaly");
    if (!anomalous && !row.label.equals("normal")) {
      problems.add("%s: label %s is not normal or anomaly".formatted(where, row.label));
      return;
    }
    if (!row.split.equals("train") && !row.split.equals("test")) {
      problems.add("%s: split %s is not train or test".formatted(where, row.split));
      return;
    }
    if (anomalous && row.split.equals("train")) {
      problems.add("%s: anomalous image %s is in train; training uses defect-free images only,"
          .formatted(where, row.image) + " so use a split such as 1cls.csv");
      return;
    }
    Path image = root.resolve(row.image);
    if (!Files.isRegularFile(image)) {
      problems.add("%s: image %s not found".formatted(where, image));
    }
    Path mask = null;
    if (anomalous) {
      if (row.mask.isEmpty()) {
        problems.add("%s: anomalous image %s has no mask path".formatted(where, row.image));
      } else {
        mask = root.resolve(row.mask);
        if (!Files.isRegularFile(mask)) {
          problems.add("%s: mask %s not found".formatted(where, mask));
        }
      }
    }
    String id = row.image.replace('\\', '/');
    target.add(new Sample(id, image, mask, anomalous ? ANOMALY : Sample.GOOD, anomalous));
  }

  private String chooseObject(List<Row> rows, Path csv) {
    TreeSet<String> objects = new TreeSet<>();
    rows.forEach(row -> objects.add(row.object));
    if (product != null) {
      if (!objects.contains(product)) {
        throw new DatasetException(
            "%s lists no object %s; it lists %s".formatted(csv, product, objects));
      }
      return product;
    }
    if (objects.size() != 1) {
      throw new DatasetException(
          "%s lists %d objects %s; choose one as the product".formatted(csv, objects.size(),
              objects));
    }
    return objects.first();
  }

  private static List<Row> parse(Path csv) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      String header = in.readLine();
      if (header == null) {
        throw new DatasetException("VisA split CSV " + csv + " is empty");
      }
      List<String> names = splitCsvLine(header.replace("\uFEFF", ""));
      Map<String, Integer> column = new HashMap<>();
      for (int i = 0; i < names.size(); i++) {
        column.put(names.get(i).trim().toLowerCase(Locale.ROOT), i);
      }
      if (!column.keySet().containsAll(COLUMNS)) {
        throw new DatasetException(
            "VisA split CSV %s has the header %s; it needs the columns %s"
                .formatted(csv, names, COLUMNS));
      }

      List<Row> rows = new ArrayList<>();
      String line;
      int number = 1;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        List<String> fields = splitCsvLine(line);
        if (fields.size() < names.size()) {
          throw new DatasetException("%s line %d has %d fields, the header has %d"
              .formatted(csv, number, fields.size(), names.size()));
        }
        rows.add(new Row(number,
            fields.get(column.get("object")).trim(),
            fields.get(column.get("split")).trim().toLowerCase(Locale.ROOT),
            fields.get(column.get("label")).trim().toLowerCase(Locale.ROOT),
            fields.get(column.get("image")).trim(),
            fields.get(column.get("mask")).trim()));
      }
      return rows;
    }
  }

  /** Splits one CSV line at commas outside double quotes; {@code ""} inside quotes is a quote. */
  static List<String> splitCsvLine(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }
}
