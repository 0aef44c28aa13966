package org.flawmap.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelFileTest {

  private static final String HEADER = "path,product,background,category,note\n";

  @TempDir
  Path dir;

  private static LabelRow row(String path, String note) {
    return new LabelRow(path, "capsule", Background.WITH, DefectCategory.SURFACE, note);
  }

  @Test
  void roundTripKeepsQuotesCommasAndLineBreaks() throws IOException {
    List<LabelRow> rows = List.of(
        row("test/crack/000.png", ""),
        row("test/crack/001.png", "two marks, one faint"),
        row("test/crack/002.png", "the \"big\" one"),
        row("test/crack/003.png", "first line\nsecond line"),
        row("test/crack/004.png", "windows\r\nbreak"),
        row("test/crack/005.png", "\"\""),
        row("test/crack/006.png", "ünïcode, ✓"),
        new LabelRow("test/hole/000.png", "my, product", Background.WITHOUT,
            DefectCategory.COMBINED, "x"));
    Path file = dir.resolve("labels.csv");

    LabelFile.write(file, rows);

    assertEquals(rows, LabelFile.read(file));
    String text = Files.readString(file);
    assertTrue(text.startsWith(HEADER), text);
    assertTrue(text.contains("\"two marks, one faint\""), text);
    assertTrue(text.contains("\"the \"\"big\"\" one\""), text);
    assertTrue(text.contains("\"first line\nsecond line\""), text);
    assertTrue(text.contains("test/crack/000.png,capsule,with,surface,\n"), text);
    assertTrue(text.contains("\"my, product\",without,combined"), text);
  }

  @Test
  void writeLeavesNoTemporaryFile() throws IOException {
    Path file = dir.resolve("labels.csv");
    LabelFile.write(file, List.of(row("test/a/0.png", "n")));
    LabelFile.write(file, List.of(row("test/a/1.png", "n")));

    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
    assertEquals(List.of(row("test/a/1.png", "n")), LabelFile.read(file));
  }

  @Test
  void readAcceptsBomCrlfAndEmptyLines() throws IOException {
    String text = "\uFEFFpath,product,background,category,note\r\n"
        + "test/crack/000.png,capsule,with,surface,\r\n"
        + "\r\n"
        + "test/crack/001.png,capsule,without,structural,\"a\r\nb\"\r\n";
    Path file = dir.resolve("labels.csv");
    Files.write(file, text.getBytes(StandardCharsets.UTF_8));

    List<LabelRow> rows = LabelFile.read(file);

    assertEquals(2, rows.size());
    assertEquals(row("test/crack/000.png", ""), rows.get(0));
    assertEquals(new LabelRow("test/crack/001.png", "capsule", Background.WITHOUT,
        DefectCategory.STRUCTURAL, "a\r\nb"), rows.get(1));
  }

  @Test
  void everyErrorKindIsCollectedWithLineNumbers() throws IOException {
    String text = HEADER
        + "test/a/00.png,capsule,with,surface,ok\n"                   // 2: valid
        + "test/a/01.png,capsule,maybe,surface,\n"                    // 3: background
        + "test/a/02.png,capsule,with,scratchy,\n"                    // 4: category
        + "test/a/03.png,,with,surface,\n"                            // 5: empty product
        + "test\\a\\04.png,capsule,with,surface,\n"                   // 6: backslash
        + "/data/test/a/05.png,capsule,with,surface,\n"               // 7: absolute
        + "test/../a/06.png,capsule,with,surface,\n"                  // 8: ".." segment
        + "test/a/07.png,capsule,with,surface\n"                      // 9: 4 fields
        + "test/a/08.png,capsule,with,surface,a \"quoted\" word\n"    // 10: bare quote
        + "test/a/09.png,capsule,with,surface,\"closed\"x\n"          // 11: after quote
        + "test/a/10.png,capsule,with,surface,\"multi\nline\"\n"      // 12-13: valid
        + "test/a/00.png,capsule,with,surface,again\n"                // 14: duplicate of 2
        + ",capsule,With,Surface,\n"                                  // 15: three errors
        + "test/a/11.png,capsule,with,surface,\"never closed\n";      // 16: unclosed
    Path file = dir.resolve("bad.csv");
    Files.writeString(file, text);

    LabelException e = assertThrows(LabelException.class, () -> LabelFile.read(file));

    List<String> problems = e.problems();
    assertEquals(14, problems.size(), String.join("\n", problems));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("14 problems"), e.getMessage());
    assertEquals("line 3: column 3 (background): invalid value \"maybe\"; allowed values: "
        + "with, without", problems.get(0));
    assertEquals("line 4: column 4 (category): invalid value \"scratchy\"; allowed values: "
        + "structural, surface, contamination, combined", problems.get(1));
    assertTrue(problems.get(2).startsWith("line 5: column 2 (product): the product is empty"));
    assertTrue(problems.get(3).startsWith("line 6: column 1 (path): path \"test\\a\\04.png\" "
        + "contains a backslash"), problems.get(3));
    assertTrue(problems.get(4).startsWith("line 7: column 1 (path): path "
        + "\"/data/test/a/05.png\" is absolute"), problems.get(4));
    assertTrue(problems.get(5).startsWith("line 8: column 1 (path): path \"test/../a/06.png\" "
        + "has an empty, \".\" or \"..\" segment"), problems.get(5));
    assertTrue(problems.get(6).startsWith("line 9: has 4 fields but the header has 5"),
        problems.get(6));
    assertTrue(problems.get(7).startsWith("line 10: a quote inside an unquoted field at "
        + "character 38 of the line"), problems.get(7));
    assertTrue(problems.get(8).startsWith("line 11: text after the closing quote"),
        problems.get(8));
    assertEquals("line 14: column 1 (path): duplicate path \"test/a/00.png\", first on line 2; "
        + "keep one row per image", problems.get(9));
    assertTrue(problems.get(10).startsWith("line 15: column 1 (path): the path is empty"),
        problems.get(10));
    assertTrue(problems.get(11).startsWith("line 15: column 3 (background): invalid value "
        + "\"With\""), problems.get(11));
    assertTrue(problems.get(12).startsWith("line 15: column 4 (category): invalid value "
        + "\"Surface\""), problems.get(12));
    assertTrue(problems.get(13).startsWith("line 16: the quoted field opened on line 16 is not "
        + "closed"), problems.get(13));
  }

  @Test
  void wrongOrMissingHeaderIsRejected() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty.csv"), "");
    Path wrong = Files.writeString(dir.resolve("wrong.csv"),
        "path,product,category,background,note\ntest/a/0.png,p,surface,with,\n");

    LabelException emptyError = assertThrows(LabelException.class, () -> LabelFile.read(empty));
    LabelException wrongError = assertThrows(LabelException.class, () -> LabelFile.read(wrong));

    assertEquals(List.of("line 1: the file is empty; the first line must be the header "
        + "path,product,background,category,note"), emptyError.problems());
    assertEquals(List.of("line 1: the header must be path,product,background,category,note, "
        + "found path,product,category,background,note"), wrongError.problems());
  }

  @Test
  void invalidUtf8IsRejected() throws IOException {
    Path file = dir.resolve("latin1.csv");
    byte[] header = HEADER.getBytes(StandardCharsets.US_ASCII);
    byte[] row = "test/a/0.png,p,with,surface,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    byte[] bytes = new byte[header.length + row.length];
    System.arraycopy(header, 0, bytes, 0, header.length);
    System.arraycopy(row, 0, bytes, header.length, row.length);
    Files.write(file, bytes);

    LabelException e = assertThrows(LabelException.class, () -> LabelFile.read(file));

    assertTrue(e.getMessage().contains(file + " is not valid UTF-8"), e.getMessage());
  }

  @Test
  void writeRejectsInvalidRowsAndWritesNothing() {
    Path file = dir.resolve("labels.csv");
    List<LabelRow> rows = List.of(
        row("test/a/0.png", ""),
        row("test/a/0.png", ""),
        row("test\\a\\1.png", ""),
        new LabelRow("test/a/2.png", "", Background.WITH, DefectCategory.SURFACE, ""));

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LabelFile.write(file, rows));

    assertTrue(e.getMessage().contains("rows 1 and 2 have the same path test/a/0.png"),
        e.getMessage());
    assertTrue(e.getMessage().contains("row 3: path \"test\\a\\1.png\" contains a backslash"),
        e.getMessage());
    assertTrue(e.getMessage().contains("row 4 (test/a/2.png): the product is empty"),
        e.getMessage());
    assertFalse(Files.exists(file));
  }

  @Test
  void nullNoteBecomesEmpty() {
    assertEquals("", row("test/a/0.png", null).note());
  }
}
