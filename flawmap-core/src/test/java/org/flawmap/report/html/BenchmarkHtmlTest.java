package org.flawmap.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flawmap.threshold.ThresholdEstimators;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks of the report text in Java; {@link BenchmarkHtmlBrowserTest} checks it in Chromium. */
class BenchmarkHtmlTest {

  @TempDir Path folder;

  private String html;

  @BeforeEach
  void writeReport() throws IOException {
    SyntheticBenchmark.create(folder);
    Path report = BenchmarkHtml.write(folder);
    assertEquals(folder.resolve("report.html"), report);
    html = Files.readString(report);
  }

  private static List<String> matches(String regex, String text) {
    List<String> found = new ArrayList<>();
    Matcher m = Pattern.compile(regex).matcher(text);
    while (m.find()) {
      found.add(m.groupCount() > 0 ? m.group(1) : m.group());
    }
    return found;
  }

  private static int count(String needle, String text) {
    return text.split(Pattern.quote(needle), -1).length - 1;
  }

  @Test
  void onlyNetworkTextIsSvgNamespace() {
    Matcher m = Pattern.compile("(?i)https?://").matcher(html);
    int references = 0;
    while (m.find()) {
      references++;
      String around = html.substring(Math.max(0, m.start() - 7), m.start() + 26);
      assertEquals("xmlns=\"http://www.w3.org/2000/svg", around, "at offset " + m.start());
    }
    assertEquals(SyntheticBenchmark.EXPECTED_PLOTS, references);
    assertFalse(html.contains("<link"), "no <link> element");
    assertFalse(html.contains("url("), "no CSS url()");
    for (String src : matches("\\ssrc=\"([^\"]*)\"", html)) {
      assertTrue(src.startsWith("data:image/png;base64,"), "src " + src.substring(0, 30));
    }
  }

  @Test
  void everyGalleryPictureIsEmbedded() {
    assertEquals(SyntheticBenchmark.EXPECTED_IMAGES, count("<img ", html));
    assertEquals(0, count("class=\"missing-file\"", html));
  }

  @Test
  void inPageLinksResolveToUniqueIds() {
    List<String> ids = matches("\\sid=\"([^\"]*)\"", html);
    Set<String> unique = new HashSet<>(ids);
    assertEquals(ids.size(), unique.size(), "duplicate ids in " + ids);
    List<String> links = matches("href=\"#([^\"]*)\"", html);
    // The contents list every heading, and the two ranking tables link their 15 + 15 rows.
    assertTrue(links.size() > 30, "only " + links.size() + " in-page links");
    for (String link : links) {
      assertTrue(unique.contains(link), "link #" + link + " has no target");
    }
    assertEquals(0, matches("href=\"(?!#)", html).size(), "links that leave the page");
  }

  @Test
  void hostileTextIsEscaped() {
    assertFalse(html.contains(SyntheticBenchmark.HOSTILE_TEXT));
    assertTrue(html.contains("&lt;/pre&gt;&lt;script&gt;document.title=&#39;hacked&#39;"
        + "&lt;/script&gt;&amp;&lt;b&gt;"));
    assertEquals(1, count("<script", html), "only the check script");
  }

  @Test
  void undefinedMetricsShowNotAvailable() {
    assertFalse(html.contains("NaN"));
    assertFalse(html.contains(">null<"));
    assertTrue(count("<span class=\"na\" title=\"undefined: ", html) > 0);
    // Bottle's contamination group has a null mean IoU, so the tooltip of the category table
    // lists bottle as n/a and the value comes from tile alone.
    assertTrue(html.contains("bottle: n/a"));
  }

  @Test
  void rankingSortsByMeanIouDescending() {
    String table = between(between(html, "<table class=\"ranking\">", "</table>"), "<tbody>",
        "</tbody>");
    List<String> rows = matches("<tr(?: class=\"fallback\")?>(.*?)</tr>", table);
    List<Double> expected = new ArrayList<>();
    for (int m = 0; m < SyntheticBenchmark.MODELS.size(); m++) {
      for (long seed : SyntheticBenchmark.seeds(SyntheticBenchmark.MODELS.get(m))) {
        for (int e = 0; e < ThresholdEstimators.names().size(); e++) {
          expected.add(SyntheticBenchmark.meanIou(0, m, seed, e, 0));
        }
      }
    }
    expected.sort(Comparator.reverseOrder());
    assertEquals(expected.size(), rows.size());
    for (int i = 0; i < rows.size(); i++) {
      List<String> cells = matches("<td[^>]*>(.*?)</td>", rows.get(i));
      assertEquals(Integer.toString(i + 1), cells.get(0));
      assertEquals(String.format(Locale.ROOT, "%.4f", expected.get(i)), cells.get(6), "row " + i);
    }
    assertTrue(rows.get(0).contains("<td class=\"best\">"
        + String.format(Locale.ROOT, "%.4f", expected.get(0))));
  }

  @Test
  void categoryTableAveragesProductsThenSeeds() {
    String table = between(html, "id=\"by-category\"", "</table>");
    String row = between(table, "<td class=\"text\">padim</td><td class=\"text\">"
        + "mobilenet_v2_nsfwjs</td><td class=\"text\">iou-curve</td>", "</tr>");
    List<String> values = matches("<td[^>]*>(.*?)</td>", row);
    assertEquals(List.of("all", "structural", "contamination", "unlabelled"),
        matches("<th>(.*?)</th>", table));

    int e = ThresholdEstimators.names().indexOf("iou-curve");
    // structural is group 3 in both products: per seed the two products are averaged.
    double seed42 = (SyntheticBenchmark.meanIou(0, 0, 42, e, 3)
        + SyntheticBenchmark.meanIou(1, 0, 42, e, 3)) / 2;
    double seed7 = (SyntheticBenchmark.meanIou(0, 0, 7, e, 3)
        + SyntheticBenchmark.meanIou(1, 0, 7, e, 3)) / 2;
    assertEquals(meanAndStd(seed42, seed7), values.get(1));

    // contamination is null for bottle, so only tile (group 4) counts.
    assertEquals(meanAndStd(SyntheticBenchmark.meanIou(0, 0, 42, e, 4),
        SyntheticBenchmark.meanIou(0, 0, 7, e, 4)), values.get(2));

    // unlabelled exists in bottle only (group 5).
    assertEquals(meanAndStd(SyntheticBenchmark.meanIou(1, 0, 42, e, 5),
        SyntheticBenchmark.meanIou(1, 0, 7, e, 5)), values.get(3));
  }

  /** Returns "mean ± sample std" of two values, computed independently of {@link Spread}. */
  private static String meanAndStd(double a, double b) {
    double std = Math.abs(a - b) / Math.sqrt(2);
    return String.format(Locale.ROOT, "%.4f ± %.4f", (a + b) / 2, std);
  }

  @Test
  void singleSeedShowsNoSpread() {
    String table = between(html, "id=\"by-category\"", "</table>");
    String row = between(table, "<td class=\"text\">patchcore</td>", "</tr>");
    assertFalse(row.contains("±"), row);
  }

  @Test
  void sweepMarksEveryEstimator() {
    assertTrue(html.contains(">iou-curve 12.000<"));
    assertTrue(html.contains(">normal-quantile 95.000 (off scale)<"));
    assertTrue(html.contains(">normal-quantile 17.000<"), "bottle's is on the scale");
    for (String name : ThresholdEstimators.names()) {
      assertTrue(html.contains("fill=\"" + CellSection.colour(name) + "\" class=\"marker-label\""),
          name);
    }
  }

  @Test
  void fallbackShowsEstimatorUsed() {
    assertTrue(html.contains("f1 → normal-stats"));
    assertTrue(html.contains("title=\"no defect pixels in validation; fell back to"
        + " normal-stats\""));
  }

  @Test
  void missingPictureBecomesPlaceholder() throws IOException {
    Files.delete(folder.resolve("gallery/bottle-padim-7/1.gt.png"));
    String report = Files.readString(BenchmarkHtml.write(folder));
    assertEquals(1, count("class=\"missing-file\"", report));
    assertEquals(SyntheticBenchmark.EXPECTED_IMAGES - 1, count("<img ", report));
  }

  static String between(String text, String start, String end) {
    int from = text.indexOf(start);
    assertTrue(from >= 0, "'" + start + "' not found");
    int to = text.indexOf(end, from + start.length());
    assertTrue(to >= 0, "'" + end + "' not found after '" + start + "'");
    return text.substring(from + start.length(), to);
  }
}
