package org.flawmap.labels;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flawmap.report.AtomicFiles;

/**
 * Reads and writes label files: product-independent labels of anomalous images, one CSV row per
 * image.
 *
 * <p>Schema, with this exact header line:
 *
 * <pre>
 * path,product,background,category,note
 * test/crack/exp1_num_249594.jpg,magnetic_tile,without,structural,
 * test/scratch/003.png,capsule,with,surface,"two marks, one faint"
 * </pre>
 *
 * <ul>
 *   <li>{@code path}: the sample id, the image path relative to the dataset root with forward
 *       slashes. It must not be empty, absolute, contain a backslash, or contain an empty,
 *       {@code .} or {@code ..} segment. Reading and writing reject a second row with the same
 *       path.
 *   <li>{@code product}: the product name as the dataset reader reports it (the name of the
 *       dataset root for MVTec AD layouts), not empty.
 *   <li>{@code background}: {@code with} or {@code without}, see {@link Background}.
 *   <li>{@code category}: {@code structural}, {@code surface}, {@code contamination} or
 *       {@code combined}, see {@link DefectCategory}.
 *   <li>{@code note}: free text, possibly empty.
 * </ul>
 *
 * <p>Fields follow RFC 4180: a field with a comma, quote or line break is enclosed in double
 * quotes and its quotes are doubled. Values are case-sensitive and are not trimmed. Files are
 * UTF-8; reading accepts a byte order mark, CRLF line breaks and empty lines, and writing uses LF.
 * Only anomalous images have rows, and a file may leave some of them out.
 *
 * <p>Reading is strict: every invalid row is collected, and one {@link LabelException} lists them
 * all with the file, the line on which the row starts, the column and the value.
 */
public final class LabelFile {

  /** The header line, and the column order of every row. */
  public static final List<String> HEADER =
      List.of("path", "product", "background", "category", "note");

  private LabelFile() {}

  /**
   * Reads the label file {@code file}.
   *
   * @return the rows in file order
   * @throws LabelException listing every invalid row, or when the file is not UTF-8
   * @throws IOException when the file cannot be read
   */
  public static List<LabelRow> read(Path file) throws IOException {
    return parse(Csv.readUtf8(file), file.toString());
  }

  /**
   * Writes {@code rows} to {@code file} in the order given. The file is replaced atomically, so
   * a reader never sees a partial file.
   *
   * @throws IllegalArgumentException when a row has an invalid path or product, or two rows have
   *     the same path. The message lists every such row by its 1-based position, and nothing is
   *     written.
   */
  public static void write(Path file, List<LabelRow> rows) throws IOException {
    AtomicFiles.writeString(file, format(rows));
  }

  /** Formats {@code rows} as the text of a label file, checking them as {@link #write} does. */
  public static String format(List<LabelRow> rows) {
    List<String> problems = new ArrayList<>();
    Map<String, Integer> firstIndex = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      LabelRow row = rows.get(i);
      int number = i + 1;
      Optional<String> pathProblem = pathProblem(row.path());
      if (pathProblem.isPresent()) {
        problems.add("row %d: %s".formatted(number, pathProblem.get()));
      }
      if (row.product().isEmpty()) {
        problems.add("row %d (%s): the product is empty".formatted(number, row.path()));
      }
      Integer first = firstIndex.putIfAbsent(row.path(), number);
      if (first != null) {
        problems.add("rows %d and %d have the same path %s".formatted(first, number, row.path()));
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid label rows, so nothing was written:\n  " + String.join("\n  ", problems));
    }

    StringBuilder text = new StringBuilder(Csv.formatRecord(HEADER)).append('\n');
    for (LabelRow row : rows) {
      text.append(Csv.formatRecord(List.of(row.path(), row.product(), row.background().value(),
          row.category().value(), row.note()))).append('\n');
    }
    return text.toString();
  }

  /**
   * Parses the text of a label file.
   *
   * @param source file name for messages
   * @throws LabelException listing every invalid row
   */
  public static List<LabelRow> parse(String text, String source) {
    Csv.Parsed parsed = Csv.parse(text);
    List<Csv.Error> errors = new ArrayList<>(parsed.errors());
    List<Csv.Record> records = parsed.records();
    if (records.isEmpty() || !records.get(0).fields().equals(HEADER)) {
      errors.add(headerError(records));
      throw failure(source, errors);
    }

    List<LabelRow> rows = new ArrayList<>();
    Map<String, Integer> firstLine = new HashMap<>();
    for (Csv.Record record : records.subList(1, records.size())) {
      int errorsBefore = errors.size();
      LabelRow row = parseRow(record, errors);
      if (row == null || errors.size() > errorsBefore) {
        continue;
      }
      Integer first = firstLine.putIfAbsent(row.path(), record.line());
      if (first != null) {
        errors.add(new Csv.Error(record.line(), ("column 1 (path): duplicate path \"%s\", "
            + "first on line %d; keep one row per image").formatted(row.path(), first)));
        continue;
      }
      rows.add(row);
    }
    if (!errors.isEmpty()) {
      throw failure(source, errors);
    }
    return rows;
  }

  /**
   * Returns why {@code path} is not a valid sample id, or empty when it is valid. A sample id is
   * relative to the dataset root and uses forward slashes, so it must not be absolute or contain
   * backslashes, and it has no empty, {@code .} or {@code ..} segments.
   */
  static Optional<String> pathProblem(String path) {
    if (path.isEmpty()) {
      return Optional.of("the path is empty; give the image path relative to the dataset root");
    }
    if (path.indexOf('\\') >= 0) {
      return Optional.of("path \"%s\" contains a backslash; use forward slashes, as in %s"
          .formatted(path, path.replace('\\', '/')));
    }
    if (path.startsWith("/") || path.matches("^[A-Za-z]:.*")) {
      return Optional.of(("path \"%s\" is absolute; give the image path relative to the dataset "
          + "root, such as test/crack/000.png").formatted(path));
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return Optional.of(("path \"%s\" has an empty, \".\" or \"..\" segment; give the image "
            + "path relative to the dataset root, such as test/crack/000.png").formatted(path));
      }
    }
    return Optional.empty();
  }

  /** Parses one data row; adds an error for each invalid field and returns null if any. */
  private static LabelRow parseRow(Csv.Record record, List<Csv.Error> errors) {
    List<String> fields = record.fields();
    int line = record.line();
    if (fields.size() != HEADER.size()) {
      errors.add(new Csv.Error(line, ("has %d fields but the header has %d (%s); enclose "
          + "fields that contain commas in double quotes").formatted(
              fields.size(), HEADER.size(), String.join(",", HEADER))));
      return null;
    }

    String path = fields.get(0);
    String product = fields.get(1);
    Optional<Background> background = Background.fromValue(fields.get(2));
    Optional<DefectCategory> category = DefectCategory.fromValue(fields.get(3));
    boolean valid = true;
    Optional<String> pathProblem = pathProblem(path);
    if (pathProblem.isPresent()) {
      errors.add(new Csv.Error(line, "column 1 (path): " + pathProblem.get()));
      valid = false;
    }
    if (product.isEmpty()) {
      errors.add(new Csv.Error(line, "column 2 (product): the product is empty; give the "
          + "product name, the name of the dataset folder"));
      valid = false;
    }
    if (background.isEmpty()) {
      errors.add(invalidValue(line, 3, fields.get(2), Background.allowedValues()));
      valid = false;
    }
    if (category.isEmpty()) {
      errors.add(invalidValue(line, 4, fields.get(3), DefectCategory.allowedValues()));
      valid = false;
    }
    if (!valid) {
      return null;
    }
    return new LabelRow(path, product, background.get(), category.get(), fields.get(4));
  }

  private static Csv.Error invalidValue(int line, int column, String value, String allowed) {
    return new Csv.Error(line, "column %d (%s): invalid value \"%s\"; allowed values: %s"
        .formatted(column, HEADER.get(column - 1), value, allowed));
  }

  private static Csv.Error headerError(List<Csv.Record> records) {
    String expected = String.join(",", HEADER);
    if (records.isEmpty()) {
      return new Csv.Error(1, "the file is empty; the first line must be the header " + expected);
    }
    Csv.Record first = records.get(0);
    return new Csv.Error(first.line(), "the header must be %s, found %s"
        .formatted(expected, Csv.formatRecord(first.fields())));
  }

  private static LabelException failure(String source, List<Csv.Error> errors) {
    List<String> messages = errors.stream()
        .sorted(Comparator.comparingInt(Csv.Error::line))
        .map(e -> "line " + e.line() + ": " + e.message())
        .toList();
    String noun = messages.size() == 1 ? "problem" : "problems";
    return new LabelException(
        "invalid label file %s: %d %s".formatted(source, messages.size(), noun), messages);
  }
}
