package org.flawmap.labels;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.flawmap.dataset.Dataset;
import org.flawmap.dataset.Mask;
import org.flawmap.dataset.MaskReader;
import org.flawmap.dataset.Regions;
import org.flawmap.dataset.Sample;
import org.flawmap.image.ImageDecodeException;
import org.flawmap.util.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drafts a label file for a person to confirm: one row per anomalous image of a dataset, in
 * every split, with a category and background proposed from the defect type and the mask.
 *
 * <p>Rules, applied to each image:
 *
 * <ol>
 *   <li>The default category and background come from {@link DefaultCategories#match}, a
 *       mapping by defect type. A defect type without a default gets {@code surface} and a
 *       product without a known background gets {@code with}. The note then states this and
 *       asks for confirmation.
 *   <li>The mask is read with the dataset's mask threshold and split into 8-connected
 *       components. Each component of at least {@value #MIN_SHAPE_AREA} pixels is thin when its
 *       elongation ({@link RegionShape}) is at least {@value #THIN_ELONGATION}, and compact when
 *       it is at most {@value #COMPACT_ELONGATION}. Smaller components are too few pixels to
 *       have a measurable shape and are left out of the rule. NOTE: a curved thin region has a
 *       low elongation (a half circle of radius r, about 2.3), so a bent crack may count as
 *       neither thin nor compact.
 *   <li>A mask with a thin component and a compact component whose areas differ by more than
 *       a factor of {@value #AREA_RATIO} shows defects of different character, for example a
 *       hairline crack next to a large stain, and gets {@code combined}. Shape alone is not
 *       enough: on the Magnetic Tile Defects masks it also pairs a crack or a blowhole with a
 *       second, straighter one of similar size. Area alone is not enough either, because a
 *       large and a small blob are one kind of defect.
 *   <li>An empty or unreadable mask keeps the default category, and the note states why.
 * </ol>
 *
 * <p>The note lists the evidence (component count, areas in pixels and elongations of the
 * largest {@value #LISTED_COMPONENTS} components) and where the default came from, for
 * example {@code suggested: 2 components (areas 312, 14 px; elongations 9.1, 1.2); default for
 * defect type crack: structural (crack in the tile)}.
 */
public final class LabelSuggester {

  /** Components smaller than this many pixels do not take part in the combined rule. */
  public static final int MIN_SHAPE_AREA = 20;

  /** Elongation from which a component counts as thin, crack-like. */
  public static final double THIN_ELONGATION = 4.0;

  /** Elongation up to which a component counts as compact, blob-like. */
  public static final double COMPACT_ELONGATION = 2.0;

  /** Factor by which the areas of a thin and a compact component must differ, exclusive. */
  public static final double AREA_RATIO = 10.0;

  /** Category of an image whose defect type has no default. */
  public static final DefectCategory FALLBACK_CATEGORY = DefectCategory.SURFACE;

  /** Background of an image whose product has no default. */
  public static final Background FALLBACK_BACKGROUND = Background.WITH;

  private static final int LISTED_COMPONENTS = 5;
  private static final Logger log = LoggerFactory.getLogger(LabelSuggester.class);

  /**
   * Counts over the drafted rows.
   *
   * @param rows number of rows, one per anomalous image
   * @param rowsPerCategory rows of each category, every category present (possibly 0)
   * @param combinedProposals rows set to {@code combined} by the mask rule although their
   *     default is another category
   * @param rowsWithoutDefault rows whose defect type has no default category
   * @param typesWithoutDefault those defect types, sorted
   * @param rowsWithoutBackground rows whose product has no default background
   * @param emptyMasks rows whose mask has no defective pixel
   * @param unreadableMasks ids of the rows whose mask could not be decoded
   */
  public record Summary(
      int rows,
      Map<DefectCategory, Integer> rowsPerCategory,
      int combinedProposals,
      int rowsWithoutDefault,
      List<String> typesWithoutDefault,
      int rowsWithoutBackground,
      int emptyMasks,
      List<String> unreadableMasks) {

    public Summary {
      rowsPerCategory = Map.copyOf(rowsPerCategory);
      typesWithoutDefault = List.copyOf(typesWithoutDefault);
      unreadableMasks = List.copyOf(unreadableMasks);
    }

    /** Formats the counts as a few lines of text for a log or console. */
    public String describe() {
      String perCategory = Stream.of(DefectCategory.values())
          .map(c -> c + " " + rowsPerCategory.getOrDefault(c, 0))
          .collect(Collectors.joining(", "));
      String types = typesWithoutDefault.isEmpty()
          ? "" : " (defect types " + String.join(", ", typesWithoutDefault) + ")";
      return String.join("\n",
          "rows: %d (%s)".formatted(rows, perCategory),
          "combined proposals from the masks: " + combinedProposals,
          "rows with no default category: " + rowsWithoutDefault + types,
          "rows with no default background: " + rowsWithoutBackground,
          "empty masks: %d, unreadable masks: %d".formatted(emptyMasks, unreadableMasks.size()));
    }
  }

  /** Drafted rows, sorted by path, and their counts. */
  public record Suggestion(List<LabelRow> rows, Summary summary) {

    public Suggestion {
      rows = List.copyOf(rows);
    }
  }

  /** One drafted row and the flags the summary counts. */
  record Draft(
      LabelRow row,
      String defectType,
      boolean combinedProposal,
      boolean noDefault,
      boolean noBackground,
      boolean emptyMask,
      boolean unreadable) {}

  private final DefaultCategories defaults;

  /** Creates a suggester with the built-in mapping, {@link DefaultCategories#builtIn()}. */
  public LabelSuggester() {
    this(DefaultCategories.builtIn());
  }

  public LabelSuggester(DefaultCategories defaults) {
    this.defaults = defaults;
  }

  /**
   * Drafts one row for every anomalous image in the train, validation and test splits of
   * {@code dataset}, reading each mask once. Logs progress at INFO every tenth of the masks
   * (on a terminal, {@link Progress} draws a bar instead).
   */
  public Suggestion suggest(Dataset dataset) {
    List<Sample> anomalous = Stream.of(dataset.train(), dataset.validation(), dataset.test())
        .flatMap(List::stream)
        .filter(Sample::anomalous)
        .sorted(Comparator.comparing(Sample::id))
        .toList();
    log.info("drafting labels for {} anomalous images of {}", anomalous.size(),
        dataset.product());

    List<Draft> drafts = new ArrayList<>(anomalous.size());
    try (Progress progress = new Progress("read masks", anomalous.size(), "masks")) {
      for (Sample sample : anomalous) {
        drafts.add(draft(dataset.product(), sample, dataset.maskThreshold()));
        progress.step();
      }
    }

    Summary summary = summarise(drafts);
    log.info("drafted labels for {}:\n{}", dataset.product(), summary.describe());
    return new Suggestion(drafts.stream().map(Draft::row).toList(), summary);
  }

  private Draft draft(String product, Sample sample, int maskThreshold) {
    try {
      return draft(product, sample, MaskReader.read(sample.mask(), maskThreshold), null);
    } catch (ImageDecodeException e) {
      log.warn("failed to read mask {} of {}: {}", sample.mask(), sample.id(), e.getMessage());
      return draft(product, sample, null, e.getMessage());
    }
  }

  /**
   * Drafts the row of {@code sample} from its {@code mask}, or from its defect type alone when
   * the mask is null because it could not be read ({@code readError} then gives the reason).
   */
  Draft draft(String product, Sample sample, Mask mask, String readError) {
    DefaultCategories.Match match = defaults.match(product, sample.defectType());
    DefectCategory category = match.category().orElse(FALLBACK_CATEGORY);
    Background background = match.background().orElse(FALLBACK_BACKGROUND);

    String evidence;
    boolean combined = false;
    boolean empty = false;
    if (mask == null) {
      evidence = "mask could not be read: " + readError;
    } else if (mask.isEmpty()) {
      empty = true;
      evidence = "mask is empty";
    } else {
      List<RegionShape> shapes = RegionShape.of(Regions.of(mask));
      combined = hasDifferentCharacter(shapes);
      evidence = (combined ? "suggested combined: " : "suggested: ") + describe(shapes)
          + (combined ? ", a thin and a compact one of very different area" : "");
    }
    boolean proposal = combined && category != DefectCategory.COMBINED;
    if (combined) {
      category = DefectCategory.COMBINED;
    }

    StringBuilder note = new StringBuilder(evidence).append("; ").append(match.explanation());
    if (match.category().isEmpty()) {
      note.append(combined ? "" : "; " + FALLBACK_CATEGORY + " is the fallback")
          .append("; please confirm");
    }
    if (match.background().isEmpty()) {
      note.append("; no default background for product ").append(product).append(": ")
          .append(FALLBACK_BACKGROUND).append(" is the fallback; please confirm");
    }
    LabelRow row = new LabelRow(sample.id(), product, background, category, note.toString());
    return new Draft(row, sample.defectType(), proposal, match.category().isEmpty(),
        match.background().isEmpty(), empty, mask == null);
  }

  /**
   * Returns whether the components include a thin one and a compact one, each of at least
   * {@value #MIN_SHAPE_AREA} pixels, whose areas differ by more than a factor of
   * {@value #AREA_RATIO}, as the class comment defines.
   */
  public static boolean hasDifferentCharacter(List<RegionShape> shapes) {
    List<RegionShape> measurable =
        shapes.stream().filter(s -> s.area() >= MIN_SHAPE_AREA).toList();
    for (RegionShape thin : measurable) {
      if (thin.elongation() < THIN_ELONGATION) {
        continue;
      }
      for (RegionShape compact : measurable) {
        if (compact.elongation() > COMPACT_ELONGATION) {
          continue;
        }
        double larger = Math.max(thin.area(), compact.area());
        double smaller = Math.min(thin.area(), compact.area());
        if (larger > AREA_RATIO * smaller) {
          return true;
        }
      }
    }
    return false;
  }

  /** Formats the count, areas and elongations, largest components first. */
  static String describe(List<RegionShape> shapes) {
    List<RegionShape> largest = shapes.stream()
        .sorted(Comparator.comparingInt(RegionShape::area).reversed()
            .thenComparingInt(RegionShape::label))
        .limit(LISTED_COMPONENTS)
        .toList();
    String areas = largest.stream()
        .map(s -> Integer.toString(s.area()))
        .collect(Collectors.joining(", "));
    String elongations = largest.stream()
        .map(s -> String.format(Locale.ROOT, "%.1f", s.elongation()))
        .collect(Collectors.joining(", "));
    int more = shapes.size() - largest.size();
    String rest = more > 0 ? " and %d smaller".formatted(more) : "";
    if (shapes.size() == 1) {
      return "1 component (area %s px; elongation %s)".formatted(areas, elongations);
    }
    return "%d components (areas %s px%s; elongations %s)"
        .formatted(shapes.size(), areas, rest, elongations);
  }

  private static Summary summarise(List<Draft> drafts) {
    Map<DefectCategory, Integer> perCategory = new EnumMap<>(DefectCategory.class);
    for (DefectCategory category : DefectCategory.values()) {
      perCategory.put(category, 0);
    }
    TreeSet<String> typesWithoutDefault = new TreeSet<>();
    int proposals = 0;
    int noDefault = 0;
    int noBackground = 0;
    int empty = 0;
    List<String> unreadable = new ArrayList<>();
    for (Draft draft : drafts) {
      perCategory.merge(draft.row().category(), 1, Integer::sum);
      proposals += draft.combinedProposal() ? 1 : 0;
      noBackground += draft.noBackground() ? 1 : 0;
      empty += draft.emptyMask() ? 1 : 0;
      if (draft.noDefault()) {
        noDefault++;
        typesWithoutDefault.add(draft.defectType());
      }
      if (draft.unreadable()) {
        unreadable.add(draft.row().path());
      }
    }
    return new Summary(drafts.size(), perCategory, proposals, noDefault,
        List.copyOf(typesWithoutDefault), noBackground, empty, unreadable);
  }
}
