package org.flawmap.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The escaping writer, the contents outline, seed spreads and plot ticks. */
class HtmlPartsTest {

  @Test
  void escapeCoversMarkupCharacters() {
    assertEquals("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;",
        Html.escape("<a href=\"x\" title='y'>&amp;</a>"));
    assertEquals("plain text é ±", Html.escape("plain text é ±"));
  }

  @Test
  void attributesAreEscapedAndNullsLeftOut() {
    String html = new Html().element("td", "<b>", "title", "a\"b", "class", null).toString();
    assertEquals("<td title=\"a&quot;b\">&lt;b&gt;</td>", html);
    assertThrows(IllegalArgumentException.class, () -> new Html().open("td", "title"));
  }

  @Test
  void undefinedMetricShowsNotAvailable() {
    String html = new Html().metricCell(Double.NaN).metricCell(0.123456).toString();
    assertEquals("<td><span class=\"na\" title=\"" + Html.escape(Html.UNDEFINED_TITLE)
        + "\">n/a</span></td><td>0.1235</td>", html);
  }

  @Test
  void outlineNestsContentsAndKeepsIdsUnique() {
    Outline outline = new Outline();
    Html body = new Html();
    outline.heading(body, 2, "A", "a");
    outline.heading(body, 3, "A.1", "a", "1");
    outline.heading(body, 4, "A.1.x", "a", "1", "x");
    outline.heading(body, 2, "B", "b");
    outline.heading(body, 3, "same slug", "a-1");
    Html contents = new Html();
    outline.writeContents(contents);
    assertEquals("<ul><li><a href=\"#a\">A</a><ul><li><a href=\"#a-1\">A.1</a><ul><li>"
        + "<a href=\"#a-1-x\">A.1.x</a></li></ul></li></ul></li><li><a href=\"#b\">B</a><ul>"
        + "<li><a href=\"#a-1-2\">same slug</a></li></ul></li></ul>\n", contents.toString());
    assertEquals("a-1", outline.id("a", "1"), "the same key gives the same id");
    assertEquals("s-42", outline.id("42"), "ids start with a letter");
  }

  @Test
  void spreadIsMeanAndSampleStd() {
    Spread s = Spread.of(java.util.Arrays.asList(1.0, null, 2.0, Double.NaN, 4.0));
    assertEquals(3, s.n());
    assertEquals(7.0 / 3, s.mean(), 1e-12);
    // Sample variance of 1, 2, 4: ((4/3)² + (1/3)² + (5/3)²) / 2 = 7/3.
    assertEquals(Math.sqrt(7.0 / 3), s.std(), 1e-12);
    assertEquals("2.33 ± 1.53", s.format(2));
    assertEquals("5.00", Spread.of(List.of(5.0)).format(2));
    assertEquals(0, Spread.of(List.of()).n());
  }

  @Test
  void ticksAreRoundNumbers() {
    assertTicks(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1}, SvgPlot.ticks(0, 1));
    // (23.9 - 16.2) / 5 = 1.54 rounds to a step of 2.
    assertTicks(new double[] {18, 20, 22}, SvgPlot.ticks(16.2, 23.9));
    assertTicks(new double[] {0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3}, SvgPlot.ticks(0, 0.3));
    // 37 / 5 = 7.4 rounds to a step of 5; the tick at 0 is exactly 0.
    assertTicks(new double[] {-10, -5, 0, 5, 10, 15, 20, 25}, SvgPlot.ticks(-12, 25));
    assertEquals(0.0, SvgPlot.ticks(-12, 25).get(2));
  }

  private static void assertTicks(double[] expected, List<Double> actual) {
    assertEquals(expected.length, actual.size(), "ticks " + actual);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual.get(i), 1e-12, "tick " + i + " of " + actual);
    }
  }

  @Test
  void plotDropsGapsAndCoincidentPoints() {
    Html html = new Html();
    new SvgPlot("t", "x", "y")
        .series("s", "#000", java.util.Arrays.asList(0.0, 1e-9, 0.5, 0.75, 1.0),
            java.util.Arrays.asList(0.0, 0.0, null, 0.5, 1.0), false)
        .writeTo(html);
    List<String> polylines = new java.util.ArrayList<>();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("points=\"([^\"]*)\"").matcher(html.toString());
    while (m.find()) {
      polylines.add(m.group(1));
    }
    // The plot area spans x 56 to 386 and y 266 to 46. The second point lands on the first
    // one's pixel, and the null splits the line in two.
    assertEquals(List.of("56.0,266.0", "303.5,156.0 386.0,46.0"), polylines);
    assertTrue(html.toString().startsWith("<svg class=\"plot\""));
  }
}
