package org.flawmap.labels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Default category and background for each defect type of known datasets, used by
 * {@link LabelSuggester} to draft label files. This is a mapping BY DEFECT TYPE, not a per-image
 * annotation: every image of a defect type gets the same default, and a person confirms or
 * corrects each row of the draft.
 *
 * <p>The built-in mapping ({@value #RESOURCE} next to this class) covers the defect types of
 * the 15 MVTec AD products, the three BTAD products and Magnetic Tile Defects. A mapping file is
 * CSV with the header {@code dataset,defect_type,category,background,source_note}, where
 * {@code dataset} is the product name as the dataset reader reports it (for example
 * {@code bottle}, {@code 01}, {@code magnetic_tile}) and {@code source_note} gives the reason
 * for the default. Lines starting with {@code #} are comments. The pair (dataset,
 * defect_type) is unique, and all rows of one dataset have the same background, because the
 * background is a property of the product.
 */
public final class DefaultCategories {

  /** File name of the built-in mapping, a resource in this package. */
  public static final String RESOURCE = "default-categories.csv";

  static final List<String> HEADER =
      List.of("dataset", "defect_type", "category", "background", "source_note");

  /** One row of the mapping. */
  public record Entry(
      String dataset,
      String defectType,
      DefectCategory category,
      Background background,
      String sourceNote) {}

  /**
   * The default found for one product and defect type.
   *
   * @param category default category, or empty when the mapping has none for the defect type
   * @param background default background, or empty when the mapping does not know the product
   * @param explanation how the default was found, for the note of a drafted row
   */
  public record Match(
      Optional<DefectCategory> category, Optional<Background> background, String explanation) {}

  private final List<Entry> entries;
  private final Map<String, Entry> byProductAndType = new HashMap<>();
  private final Map<String, Background> backgroundByProduct = new HashMap<>();
  private final Map<String, List<Entry>> byType = new LinkedHashMap<>();

  private DefaultCategories(List<Entry> entries) {
    this.entries = List.copyOf(entries);
    for (Entry entry : entries) {
      byProductAndType.put(key(entry.dataset(), entry.defectType()), entry);
      backgroundByProduct.put(entry.dataset(), entry.background());
      byType.computeIfAbsent(entry.defectType(), t -> new ArrayList<>()).add(entry);
    }
  }

  /** Loads the built-in mapping. */
  public static DefaultCategories builtIn() {
    try (InputStream in = DefaultCategories.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + RESOURCE + " is missing from the classpath "
            + "next to " + DefaultCategories.class.getName() + "; rebuild flawmap-core");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + RESOURCE, e);
    }
  }

  /**
   * Reads a mapping file in the format of the class comment.
   *
   * @throws LabelException listing every invalid row
   */
  public static DefaultCategories read(Path file) throws IOException {
    return parse(Csv.readUtf8(file), file.toString());
  }

  /** Parses the text of a mapping file; {@code source} names it in messages. */
  static DefaultCategories parse(String text, String source) {
    Csv.Parsed parsed = Csv.parse(blankComments(text));
    List<String> problems = new ArrayList<>();
    parsed.errors().forEach(e -> problems.add("line " + e.line() + ": " + e.message()));
    List<Csv.Record> records = parsed.records();
    if (records.isEmpty() || !records.get(0).fields().equals(HEADER)) {
      problems.add("the first line that is not a comment must be the header "
          + String.join(",", HEADER));
      throw new LabelException("invalid mapping file " + source, problems);
    }

    List<Entry> entries = new ArrayList<>();
    Map<String, Integer> lineOfKey = new HashMap<>();
    Map<String, Csv.Record> firstOfProduct = new HashMap<>();
    for (Csv.Record record : records.subList(1, records.size())) {
      Entry entry = parseEntry(record, problems);
      if (entry == null) {
        continue;
      }
      Integer first = lineOfKey.putIfAbsent(key(entry.dataset(), entry.defectType()),
          record.line());
      if (first != null) {
        problems.add("line %d: dataset %s and defect type %s already appear on line %d"
            .formatted(record.line(), entry.dataset(), entry.defectType(), first));
        continue;
      }
      Csv.Record productRecord = firstOfProduct.putIfAbsent(entry.dataset(), record);
      if (productRecord != null
          && !productRecord.fields().get(3).equals(entry.background().value())) {
        problems.add(("line %d: background %s differs from background %s of dataset %s on "
            + "line %d; one dataset has one background").formatted(record.line(),
            entry.background(), productRecord.fields().get(3), entry.dataset(),
            productRecord.line()));
        continue;
      }
      entries.add(entry);
    }
    if (!problems.isEmpty()) {
      throw new LabelException("invalid mapping file " + source, problems);
    }
    return new DefaultCategories(entries);
  }

  public List<Entry> entries() {
    return entries;
  }

  /** Returns the entry for exactly this product and defect type, if any. */
  public Optional<Entry> find(String product, String defectType) {
    return Optional.ofNullable(byProductAndType.get(key(product, defectType)));
  }

  /**
   * Finds the defaults for an image of {@code product} with {@code defectType}.
   *
   * <p>The category comes from the entry for this product and defect type. Without one, the
   * entries of other products with the same defect type name give it when they all agree, so a
   * new product with a {@code crack} folder gets {@code structural}. The background comes from
   * any entry of the product, because it does not depend on the defect type.
   */
  public Match match(String product, String defectType) {
    Optional<Entry> exact = find(product, defectType);
    if (exact.isPresent()) {
      Entry entry = exact.get();
      String explanation = "default for defect type %s: %s (%s)"
          .formatted(defectType, entry.category(), entry.sourceNote());
      return new Match(Optional.of(entry.category()), Optional.of(entry.background()),
          explanation);
    }

    Optional<Background> background = Optional.ofNullable(backgroundByProduct.get(product));
    List<Entry> sameType = byType.getOrDefault(defectType, List.of());
    List<DefectCategory> categories =
        sameType.stream().map(Entry::category).distinct().toList();
    String products = sameType.stream().map(Entry::dataset).collect(Collectors.joining(", "));
    if (categories.size() == 1) {
      String explanation = "default for defect type %s from products %s: %s"
          .formatted(defectType, products, categories.get(0));
      return new Match(Optional.of(categories.get(0)), background, explanation);
    }
    if (categories.isEmpty()) {
      return new Match(Optional.empty(), background,
          "no default for defect type " + defectType);
    }
    String disagreement = sameType.stream()
        .map(e -> e.dataset() + " " + e.category())
        .collect(Collectors.joining(", "));
    String explanation = "no default for defect type %s (products disagree: %s)"
        .formatted(defectType, disagreement);
    return new Match(Optional.empty(), background, explanation);
  }

  private static Entry parseEntry(Csv.Record record, List<String> problems) {
    List<String> fields = record.fields();
    String where = "line " + record.line() + ": ";
    if (fields.size() != HEADER.size()) {
      problems.add(where + "has %d fields, expected %d (%s)"
          .formatted(fields.size(), HEADER.size(), String.join(",", HEADER)));
      return null;
    }
    Optional<DefectCategory> category = DefectCategory.fromValue(fields.get(2));
    Optional<Background> background = Background.fromValue(fields.get(3));
    int before = problems.size();
    if (fields.get(0).isEmpty() || fields.get(1).isEmpty()) {
      problems.add(where + "dataset and defect_type must not be empty");
    }
    if (category.isEmpty()) {
      problems.add(where + "column 3 (category): invalid value \"%s\"; allowed values: %s"
          .formatted(fields.get(2), DefectCategory.allowedValues()));
    }
    if (background.isEmpty()) {
      problems.add(where + "column 4 (background): invalid value \"%s\"; allowed values: %s"
          .formatted(fields.get(3), Background.allowedValues()));
    }
    if (problems.size() > before) {
      return null;
    }
    return new Entry(fields.get(0), fields.get(1), category.get(), background.get(),
        fields.get(4));
  }

  /** Empties the comment lines, keeping the line breaks so that line numbers stay right. */
  private static String blankComments(String text) {
    return text.replaceAll("(?m)^\\uFEFF?#.*$", "");
  }

  private static String key(String product, String defectType) {
    return product + "\u0000" + defectType;
  }
}
