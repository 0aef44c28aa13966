package org.flawmap.labels;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes comma-separated values as RFC 4180 defines them: a field that contains a
 * comma, a quote or a line break is enclosed in double quotes, and a quote inside it is doubled.
 *
 * <p>Reading accepts a UTF-8 byte order mark at the start and CRLF, LF or CR line breaks. Lines
 * that are completely empty are skipped. Inside a quoted field every character is kept as it is,
 * line breaks included. Writing ends every record with LF.
 */
final class Csv {

  /**
   * One record.
   *
   * @param line number (1-based) of the physical line on which the record starts
   * @param fields field values, unquoted
   */
  record Record(int line, List<String> fields) {}

  /** A syntax error found on physical line {@code line}. */
  record Error(int line, String message) {}

  /** Records and syntax errors of one text, each in file order. */
  record Parsed(List<Record> records, List<Error> errors) {}

  private static final char BOM = '\uFEFF';

  private Csv() {}

  /**
   * Reads {@code file} as UTF-8.
   *
   * @throws LabelException when the bytes are not valid UTF-8
   */
  static String readUtf8(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new LabelException(
          file + " is not valid UTF-8 text; save it as UTF-8 (" + e.getMessage() + ")", List.of());
    }
  }

  /** Splits {@code text} into records, collecting a syntax error for each malformed record. */
  static Parsed parse(String text) {
    return new Parser(text).parseAll();
  }

  /** Formats one record without its line break, quoting the fields that need it. */
  static String formatRecord(List<String> fields) {
    List<String> quoted = new ArrayList<>(fields.size());
    for (String field : fields) {
      quoted.add(quote(field));
    }
    return String.join(",", quoted);
  }

  /** Encloses {@code field} in quotes when it contains a comma, quote, CR or LF. */
  static String quote(String field) {
    boolean needsQuotes = field.indexOf(',') >= 0 || field.indexOf('"') >= 0
        || field.indexOf('\r') >= 0 || field.indexOf('\n') >= 0
        || (!field.isEmpty() && field.charAt(0) == BOM);
    if (!needsQuotes) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }

  /** A malformed record; the parser skips the rest of the line and goes on. */
  private static final class SyntaxException extends Exception {
    final int line;

    SyntaxException(int line, String message) {
      super(message, null, false, false);
      this.line = line;
    }
  }

  private static final class Parser {
    private final String text;
    private final List<Record> records = new ArrayList<>();
    private final List<Error> errors = new ArrayList<>();
    private int pos;
    private int line = 1;

    Parser(String text) {
      this.text = text;
      this.pos = !text.isEmpty() && text.charAt(0) == BOM ? 1 : 0;
    }

    Parsed parseAll() {
      while (pos < text.length()) {
        if (atLineBreak()) {
          skipLineBreak();
          continue;
        }
        int start = line;
        try {
          records.add(new Record(start, readFields()));
        } catch (SyntaxException e) {
          errors.add(new Error(e.line, e.getMessage()));
          skipRestOfLine();
        }
      }
      return new Parsed(List.copyOf(records), List.copyOf(errors));
    }

    private List<String> readFields() throws SyntaxException {
      List<String> fields = new ArrayList<>();
      while (true) {
        boolean quoted = pos < text.length() && text.charAt(pos) == '"';
        fields.add(quoted ? readQuoted() : readUnquoted());
        if (pos >= text.length()) {
          return fields;
        }
        if (text.charAt(pos) == ',') {
          pos++;
          continue;
        }
        skipLineBreak();
        return fields;
      }
    }

    private String readUnquoted() throws SyntaxException {
      int begin = pos;
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c == ',' || c == '\r' || c == '\n') {
          break;
        }
        if (c == '"') {
          throw new SyntaxException(line, "a quote inside an unquoted field at character "
              + (pos - lineStart() + 1) + " of the line; enclose the whole field in quotes and "
              + "double each quote inside it");
        }
        pos++;
      }
      return text.substring(begin, pos);
    }

    private String readQuoted() throws SyntaxException {
      int openLine = line;
      pos++;
      StringBuilder value = new StringBuilder();
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c == '"') {
          if (pos + 1 < text.length() && text.charAt(pos + 1) == '"') {
            value.append('"');
            pos += 2;
            continue;
          }
          pos++;
          if (pos < text.length() && !isDelimiter(text.charAt(pos))) {
            throw new SyntaxException(line, "text after the closing quote of a field at "
                + "character " + (pos - lineStart() + 1) + " of the line; double each quote "
                + "inside a quoted field");
          }
          return value.toString();
        }
        if (c == '\n' || (c == '\r' && !followedByLf(pos))) {
          line++;
        }
        value.append(c);
        pos++;
      }
      throw new SyntaxException(openLine, "the quoted field opened on line " + openLine
          + " is not closed before the end of the file; add the closing quote");
    }

    private boolean isDelimiter(char c) {
      return c == ',' || c == '\r' || c == '\n';
    }

    private boolean atLineBreak() {
      char c = text.charAt(pos);
      return c == '\r' || c == '\n';
    }

    private boolean followedByLf(int index) {
      return index + 1 < text.length() && text.charAt(index + 1) == '\n';
    }

    /** Skips one CRLF, LF or CR at {@code pos}. */
    private void skipLineBreak() {
      if (pos >= text.length()) {
        return;
      }
      if (text.charAt(pos) == '\r' && followedByLf(pos)) {
        pos++;
      }
      pos++;
      line++;
    }

    private void skipRestOfLine() {
      while (pos < text.length() && !atLineBreak()) {
        pos++;
      }
      skipLineBreak();
    }

    private int lineStart() {
      int start = pos;
      while (start > 0 && text.charAt(start - 1) != '\n' && text.charAt(start - 1) != '\r') {
        start--;
      }
      return start;
    }
  }
}
