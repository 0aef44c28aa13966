package org.flawmap.backbone.onnx.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Parses the subset of JavaScript expression syntax that minifiers emit for data literals into a
 * Jackson tree.
 *
 * <p>Beyond JSON it accepts unquoted identifier keys, single-quoted strings, numbers without a
 * leading digit ({@code .5}, {@code -.5}) or with a leading {@code +}, {@code !0} and {@code !1}
 * for {@code true} and {@code false}, and {@code void 0} for {@code undefined} (read as null).
 * Code such as function calls or variables is rejected with the offset of the first character
 * that does not fit.
 */
final class JsLiteralParser {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String text;
  private final String sourceName;
  private int pos;

  private JsLiteralParser(String text, int start, String sourceName) {
    this.text = text;
    this.pos = start;
    this.sourceName = sourceName;
  }

  /** The parsed value and the offset of the first character after it. */
  record Result(JsonNode value, int end) {}

  /**
   * Parses one literal value that starts at {@code start} (leading whitespace allowed).
   *
   * @param sourceName file name used in error messages
   * @throws IllegalArgumentException if the text at {@code start} is no literal of this subset
   */
  static Result parse(String text, int start, String sourceName) {
    JsLiteralParser parser = new JsLiteralParser(text, start, sourceName);
    JsonNode value = parser.parseValue();
    return new Result(value, parser.pos);
  }

  private JsonNode parseValue() {
    skipWhitespace();
    if (pos >= text.length()) {
      throw error("unexpected end of input, expected a value");
    }
    char c = text.charAt(pos);
    if (c == '{') {
      return parseObject();
    }
    if (c == '[') {
      return parseArray();
    }
    if (c == '"' || c == '\'') {
      return NODES.textNode(parseString());
    }
    if (c == '!') {
      return parseNegation();
    }
    if (c == '-' || c == '+' || c == '.' || Character.isDigit(c)) {
      return parseNumber();
    }
    if (Character.isJavaIdentifierStart(c)) {
      return parseKeyword();
    }
    throw error("unexpected character '" + c + "', expected a value");
  }

  private ObjectNode parseObject() {
    ObjectNode object = NODES.objectNode();
    pos++;
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return object;
    }
    while (true) {
      skipWhitespace();
      String key = parseKey();
      skipWhitespace();
      expect(':');
      object.set(key, parseValue());
      skipWhitespace();
      char c = next();
      if (c == '}') {
        return object;
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or '}' in object, found '" + c + "'");
      }
      skipWhitespace();
      // A trailing comma before '}' is valid JavaScript.
      if (peek() == '}') {
        pos++;
        return object;
      }
    }
  }

  private ArrayNode parseArray() {
    ArrayNode array = NODES.arrayNode();
    pos++;
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return array;
    }
    while (true) {
      array.add(parseValue());
      skipWhitespace();
      char c = next();
      if (c == ']') {
        return array;
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or ']' in array, found '" + c + "'");
      }
      skipWhitespace();
      if (peek() == ']') {
        pos++;
        return array;
      }
    }
  }

  private String parseKey() {
    char c = peek();
    if (c == '"' || c == '\'') {
      return parseString();
    }
    if (Character.isDigit(c)) {
      return parseNumber().asText();
    }
    if (!Character.isJavaIdentifierStart(c)) {
      throw error("expected an object key, found '" + c + "'");
    }
    return parseIdentifier();
  }

  private String parseIdentifier() {
    int start = pos;
    while (pos < text.length() && Character.isJavaIdentifierPart(text.charAt(pos))) {
      pos++;
    }
    return text.substring(start, pos);
  }

  private String parseString() {
    char quote = next();
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = next();
      if (c == quote) {
        return out.toString();
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char escaped = next();
      switch (escaped) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'v' -> out.append('\u000B');
        case '0' -> out.append('\0');
        case 'x' -> out.append((char) parseHex(2));
        case 'u' -> out.append((char) parseHex(4));
        default -> out.append(escaped);
      }
    }
  }

  private int parseHex(int digits) {
    if (pos + digits > text.length()) {
      throw error("truncated escape sequence");
    }
    String hex = text.substring(pos, pos + digits);
    pos += digits;
    try {
      return Integer.parseInt(hex, 16);
    } catch (NumberFormatException e) {
      throw error("invalid escape sequence \\" + hex);
    }
  }

  private JsonNode parseNegation() {
    pos++;
    skipWhitespace();
    char c = next();
    if (c == '0') {
      return NODES.booleanNode(true);
    }
    if (c == '1') {
      return NODES.booleanNode(false);
    }
    pos--;
    throw error("only !0 and !1 are supported after '!'");
  }

  private JsonNode parseNumber() {
    int start = pos;
    if (peek() == '-' || peek() == '+') {
      pos++;
    }
    boolean integral = true;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (Character.isDigit(c)) {
        pos++;
      } else if (c == '.') {
        integral = false;
        pos++;
      } else if (c == 'e' || c == 'E') {
        integral = false;
        pos++;
        if (peek() == '+' || peek() == '-') {
          pos++;
        }
      } else {
        break;
      }
    }
    String literal = text.substring(start, pos);
    try {
      if (integral) {
        long value = Long.parseLong(literal.startsWith("+") ? literal.substring(1) : literal);
        return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
      }
      return NODES.numberNode(Double.parseDouble(literal));
    } catch (NumberFormatException e) {
      pos = start;
      throw error("invalid number '" + literal + "'");
    }
  }

  private JsonNode parseKeyword() {
    int start = pos;
    String word = parseIdentifier();
    switch (word) {
      case "true":
        return NODES.booleanNode(true);
      case "false":
        return NODES.booleanNode(false);
      case "null":
        return NODES.nullNode();
      case "Infinity":
        return NODES.numberNode(Double.POSITIVE_INFINITY);
      case "NaN":
        return NODES.numberNode(Double.NaN);
      case "void":
        skipWhitespace();
        parseNumber();
        return NODES.nullNode();
      default:
        pos = start;
        throw error("identifier '" + word + "' is not a literal value");
    }
  }

  private void skipWhitespace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private char next() {
    if (pos >= text.length()) {
      throw error("unexpected end of input");
    }
    return text.charAt(pos++);
  }

  private void expect(char expected) {
    char c = next();
    if (c != expected) {
      pos--;
      throw error("expected '" + expected + "', found '" + c + "'");
    }
  }

  private IllegalArgumentException error(String message) {
    int from = Math.max(0, pos - 30);
    int to = Math.min(text.length(), pos + 30);
    return new IllegalArgumentException(
        "%s: invalid JavaScript literal at offset %d: %s (near \"%s\")"
            .formatted(sourceName, pos, message, text.substring(from, to)));
  }
}
