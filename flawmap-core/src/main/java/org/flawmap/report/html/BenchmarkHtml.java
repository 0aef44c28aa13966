package org.flawmap.report.html;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.flawmap.labels.Background;
import org.flawmap.labels.DefectCategory;
import org.flawmap.report.AtomicFiles;
import org.flawmap.report.html.BenchmarkResults.Cell;
import org.flawmap.report.html.BenchmarkResults.DatasetInfo;
import org.flawmap.report.html.BenchmarkResults.Provenance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmark report: one self-contained {@code report.html} built from {@code results.json}
 * and the gallery pictures in the same folder. Styles and a self-check script are inline,
 * images are {@code data:} URIs and plots are inline SVG, so the file opens offline and its
 * Content-Security-Policy blocks every request to the network. Sections are described in
 * {@code docs/report.md}.
 */
public final class BenchmarkHtml {

  /** File name of the report inside the benchmark output folder. */
  public static final String FILE_NAME = "report.html";

  private static final Logger LOG = LoggerFactory.getLogger(BenchmarkHtml.class);
  private static final ObjectMapper PRETTY =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; img-src data:;"
      + " style-src 'unsafe-inline'; script-src 'unsafe-inline'";
  private static final List<String> CATEGORY_ORDER = columnOrder(DefectCategory.values());
  private static final List<String> BACKGROUND_ORDER = columnOrder(Background.values());

  private BenchmarkHtml() {}

  /**
   * Reads {@code outputFolder/results.json} and writes {@code outputFolder/report.html}
   * atomically.
   *
   * @return the path of the report
   * @throws IOException when the results cannot be read or are invalid (the message names the
   *     field), or the report cannot be written
   */
  public static Path write(Path outputFolder) throws IOException {
    BenchmarkResults results =
        BenchmarkResults.read(outputFolder.resolve(BenchmarkResults.FILE_NAME));
    return write(results, outputFolder);
  }

  /**
   * Writes {@code outputFolder/report.html} for {@code results}, embedding the gallery files,
   * whose paths are relative to {@code outputFolder}.
   */
  public static Path write(BenchmarkResults results, Path outputFolder) throws IOException {
    ImageEmbedder images = new ImageEmbedder(outputFolder);
    String page = render(results, images);
    Path target = outputFolder.resolve(FILE_NAME);
    AtomicFiles.writeString(target, page);
    LOG.info("Wrote {}: {} bytes, {} images embedded ({} bytes before base64), {} missing",
        target, page.length(), images.embedded(), images.embeddedBytes(), images.missing());
    return target;
  }

  /** Returns the report as HTML text; images are read through {@code images}. */
  static String render(BenchmarkResults results, ImageEmbedder images) {
    Outline outline = new Outline();
    Html body = new Html();
    writeProvenance(body, results.provenance(), outline);

    outline.heading(body, 2, "Across products", "across-products");
    body.element("p", "Mean IoU per group, in the group's own images and all normal images of"
        + " each product. For each seed the products that have the group are averaged, then the"
        + " table shows the mean ± sample standard deviation over seeds; hover a value for the"
        + " figure per product.", "class", "note");
    outline.heading(body, 3, "Mean IoU by defect category", "by-category");
    SummaryTables.writeGroupTable(body, results.cells(), "category", CATEGORY_ORDER);
    outline.heading(body, 3, "Mean IoU by background", "by-background");
    SummaryTables.writeGroupTable(body, results.cells(), "background", BACKGROUND_ORDER);
    outline.heading(body, 3, "Time and memory", "resources");
    SummaryTables.writeResources(body, results.cells());

    for (Map.Entry<String, List<Cell>> product : byProduct(results.cells()).entrySet()) {
      writeProduct(body, product.getKey(), product.getValue(), outline, images);
    }

    Html page = new Html();
    page.raw("<!DOCTYPE html>\n").open("html", "lang", "en").open("head").newline();
    page.empty("meta", "charset", "utf-8");
    page.empty("meta", "http-equiv", "Content-Security-Policy", "content", CONTENT_SECURITY_POLICY);
    page.empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1");
    page.element("title", "flawmap benchmark report").newline();
    page.open("style").raw(resource("report.css")).close("style").newline();
    page.open("script").raw(resource("check.js")).close("script").newline();
    page.close("head").open("body").newline();
    page.element("h1", "flawmap benchmark report");
    page.element("p", results.cells().size() + " runs (product × model × backbone × seed), five"
        + " threshold estimators each. Headline metric: mean IoU on the test split.", "class",
        "note");
    page.open("nav", "class", "contents").element("h2", "Contents", "id", "contents");
    outline.writeContents(page);
    page.close("nav").newline();
    page.raw(body.toString());
    page.close("body").close("html").newline();
    return page.toString();
  }

  private static void writeProduct(
      Html html, String product, List<Cell> cells, Outline outline, ImageEmbedder images) {
    outline.heading(html, 2, "Product: " + product, "product", product);
    outline.heading(html, 3, "Ranking: " + product, "ranking", product);
    html.element("p", "Every run × estimator on the group 'all', by mean IoU; the best value of"
        + " each column is highlighted. Image AUROC, pixel AUROC and AUPRO do not depend on the"
        + " threshold, so they repeat across the estimators of a run.", "class", "note");
    SummaryTables.writeRanking(html, cells, outline);
    outline.heading(html, 3, "Mean IoU by defect type: " + product, "defect-types", product);
    SummaryTables.writeGroupTable(html, cells, "defect_type", List.of());

    outline.heading(html, 3, "Curves and thresholds: " + product, "curves", product);
    for (Cell cell : cells) {
      CellSection.write(html, cell, outline);
    }

    Map<String, List<Cell>> byModel = new LinkedHashMap<>();
    cells.forEach(c -> byModel.computeIfAbsent(c.model(), k -> new ArrayList<>()).add(c));
    for (List<Cell> modelCells : byModel.values()) {
      GallerySection.write(html, modelCells, outline, images);
    }
  }

  private static void writeProvenance(Html html, Provenance provenance, Outline outline) {
    outline.heading(html, 2, "Provenance", "provenance");
    html.open("dl", "class", "facts");
    fact(html, "flawmap version", provenance.flawmapVersion());
    fact(html, "Java version", provenance.javaVersion());
    fact(html, "started", provenance.started());
    fact(html, "finished", provenance.finished() + duration(provenance));
    var machine = provenance.machine();
    fact(html, "machine", machine.cores() + " cores, maximum heap " + machine.maxHeapMb()
        + " MB, " + machine.os());
    fact(html, "seeds", provenance.seeds().stream().map(String::valueOf)
        .collect(Collectors.joining(", ")));
    html.close("dl").newline();

    outline.heading(html, 3, "Datasets", "datasets");
    html.open("table", "class", "datasets").open("thead").open("tr");
    for (String header : new String[] {"product", "layout", "path"}) {
      html.element("th", header, "class", "text");
    }
    html.element("th", "train").element("th", "validation").element("th", "test");
    html.element("th", "SHA-256 of files", "class", "text").element("th", "labels", "class",
        "text");
    html.close("tr").close("thead").open("tbody").newline();
    for (DatasetInfo d : provenance.datasets()) {
      html.open("tr");
      html.element("td", d.product(), "class", "text");
      html.element("td", d.layout(), "class", "text");
      html.open("td", "class", "text").element("code", d.path()).close("td");
      html.element("td", Integer.toString(d.trainImages()));
      html.element("td", Integer.toString(d.validationImages()));
      html.element("td", Integer.toString(d.testImages()));
      html.open("td", "class", "text").element("code", d.sha256(), "class", "hash").close("td");
      html.element("td", d.labels() == null ? "none" : d.labels(), "class", "text");
      html.close("tr").newline();
    }
    html.close("tbody").close("table").newline();

    outline.heading(html, 3, "Configuration", "configuration");
    html.element("pre", prettyConfig(provenance), "class", "config").newline();
  }

  private static void fact(Html html, String name, String value) {
    html.element("dt", name).element("dd", value);
  }

  /** Returns " (took 1h 02m 03s)" when both times parse as ISO-8601 with an offset, else "". */
  private static String duration(Provenance provenance) {
    try {
      Duration d = Duration.between(OffsetDateTime.parse(provenance.started()),
          OffsetDateTime.parse(provenance.finished()));
      return " (took %dh %02dm %02ds)".formatted(d.toHours(), d.toMinutesPart(),
          d.toSecondsPart());
    } catch (DateTimeParseException e) {
      return "";
    }
  }

  private static String prettyConfig(Provenance provenance) {
    if (provenance.config() == null || provenance.config().isNull()) {
      return "(no configuration recorded)";
    }
    try {
      return PRETTY.writeValueAsString(provenance.config());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("failed to format the configuration as JSON: " + e, e);
    }
  }

  private static Map<String, List<Cell>> byProduct(List<Cell> cells) {
    Map<String, List<Cell>> byProduct = new LinkedHashMap<>();
    cells.forEach(c -> byProduct.computeIfAbsent(c.product(), k -> new ArrayList<>()).add(c));
    return byProduct;
  }

  private static List<String> columnOrder(Enum<?>[] values) {
    List<String> order = new ArrayList<>();
    for (Enum<?> value : values) {
      order.add(value.toString());
    }
    order.add("unlabelled");
    return List.copyOf(order);
  }

  private static String resource(String name) {
    try (InputStream in = BenchmarkHtml.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing from the flawmap jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("failed to read resource " + name, e);
    }
  }
}
