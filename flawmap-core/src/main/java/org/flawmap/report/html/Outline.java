package org.flawmap.report.html;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Element ids and the table of contents. Every heading written through {@link #heading} gets an
 * id and a contents entry, and {@link #id} returns the same id for the same key, so links made
 * before or after the heading point at it.
 */
final class Outline {

  private record Entry(int level, String id, String title) {}

  private final Map<String, String> idsByKey = new HashMap<>();
  private final Set<String> usedIds = new HashSet<>();
  private final List<Entry> entries = new ArrayList<>();

  /**
   * Returns the id for the key {@code parts}: a readable slug of the parts, with a number added
   * when two keys give the same slug.
   */
  String id(String... parts) {
    String key = String.join("\u0000", parts);
    return idsByKey.computeIfAbsent(key, k -> uniqueSlug(parts));
  }

  private String uniqueSlug(String... parts) {
    String slug = String.join("-", parts).toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (slug.isEmpty() || !Character.isLetter(slug.charAt(0))) {
      slug = "s-" + slug;
    }
    String candidate = slug;
    for (int n = 2; !usedIds.add(candidate); n++) {
      candidate = slug + "-" + n;
    }
    return candidate;
  }

  /** Writes {@code <hN id=...>title</hN>} for level N from 2 to 4 and adds it to the contents. */
  void heading(Html html, int level, String title, String... keyParts) {
    String id = id(keyParts);
    entries.add(new Entry(level, id, title));
    html.element("h" + level, title, "id", id).newline();
  }

  /** Writes the contents as nested lists of in-page links, one level per heading level. */
  void writeContents(Html html) {
    int depth = 0;
    for (Entry entry : entries) {
      int target = entry.level() - 1;
      if (target > depth) {
        for (; depth < target; depth++) {
          html.open("ul");
          if (depth < target - 1) {
            html.open("li");
          }
        }
      } else {
        html.close("li");
        for (; depth > target; depth--) {
          html.close("ul").close("li");
        }
      }
      html.open("li").element("a", entry.title(), "href", "#" + entry.id());
    }
    if (depth > 0) {
      html.close("li");
    }
    for (; depth > 0; depth--) {
      html.close("ul");
      if (depth > 1) {
        html.close("li");
      }
    }
    html.newline();
  }
}
