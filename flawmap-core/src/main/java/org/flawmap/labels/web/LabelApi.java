package org.flawmap.labels.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.flawmap.dataset.Dataset;
import org.flawmap.dataset.Sample;
import org.flawmap.labels.Background;
import org.flawmap.labels.DefectCategory;
import org.flawmap.labels.LabelRow;
import org.flawmap.labels.LabelSuggester;

/**
 * The JSON interface of the labelling page.
 *
 * <p>{@code GET /api/state} returns {@code {product, version, maskThreshold, categories,
 * backgrounds, items}}
 * with one item per anomalous image, sorted by path: {@code {path, defectType, image, mask,
 * reference, suggested, row, revision}}, where {@code image}, {@code mask} and {@code reference}
 * are URLs under {@code /files/}, {@code suggested} is the {@link LabelSuggester} row and {@code
 * row} is the label file's row or null.
 *
 * <p>{@code POST /api/label} takes {@code {path, category, background, note, revision,
 * version}}, where {@code revision} is the row revision the page last saw and {@code version}
 * the file version. It returns 200 with {@code {saved: true, merged, version, item: {path, row,
 * revision}}}, or 409 with {@code saved: false}, a message and the current row in {@code item}
 * when another page changed the row first (see {@link LabelStore}).
 */
final class LabelApi {

  /** Status and JSON body of a response. */
  record Response(int status, byte[] body) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Dataset dataset;
  private final LabelStore store;
  private final List<Sample> anomalous;
  private final Map<String, LabelRow> suggestions;
  private final Path root;

  LabelApi(Dataset dataset, LabelStore store) {
    this.dataset = dataset;
    this.store = store;
    this.root = dataset.root().toAbsolutePath().normalize();
    this.anomalous = Stream.of(dataset.train(), dataset.validation(), dataset.test())
        .flatMap(List::stream)
        .filter(Sample::anomalous)
        .sorted(java.util.Comparator.comparing(Sample::id))
        .toList();
    this.suggestions = new LabelSuggester().suggest(dataset).rows().stream()
        .collect(Collectors.toMap(LabelRow::path, Function.identity()));
  }

  byte[] state() throws IOException {
    List<Sample> references = references();
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = 0; i < anomalous.size(); i++) {
      Sample sample = anomalous.get(i);
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("path", sample.id());
      item.put("defectType", sample.defectType());
      item.put("image", fileUrl(sample.image()));
      item.put("mask", sample.mask() == null ? null : fileUrl(sample.mask()));
      item.put("reference", references.isEmpty()
          ? null : fileUrl(references.get(i % references.size()).image()));
      item.put("suggested", rowJson(suggestions.get(sample.id())));
      putEntry(item, store.get(sample.id()));
      items.add(item);
    }

    Map<String, Object> state = new LinkedHashMap<>();
    state.put("product", dataset.product());
    state.put("version", store.version());
    state.put("maskThreshold", dataset.maskThreshold());
    state.put("categories", Stream.of(DefectCategory.values()).map(DefectCategory::value).toList());
    state.put("backgrounds", Stream.of(Background.values()).map(Background::value).toList());
    state.put("items", items);
    return JSON.writeValueAsBytes(state);
  }

  Response save(byte[] body) throws IOException {
    JsonNode request;
    try {
      request = JSON.readTree(body);
    } catch (IOException e) {
      throw new LabelServer.HttpError(400, "request body is not valid JSON: " + e.getMessage());
    }
    if (request == null || !request.isObject()) {
      throw new LabelServer.HttpError(400, "request body must be a JSON object");
    }

    String path = text(request, "path");
    if (anomalous.stream().noneMatch(s -> s.id().equals(path))) {
      throw new LabelServer.HttpError(404, "no anomalous image " + path + " in the dataset");
    }
    DefectCategory category = DefectCategory.fromValue(text(request, "category"))
        .orElseThrow(() -> new LabelServer.HttpError(400, "invalid category "
            + request.get("category") + "; allowed values: " + DefectCategory.allowedValues()));
    Background background = Background.fromValue(text(request, "background"))
        .orElseThrow(() -> new LabelServer.HttpError(400, "invalid background "
            + request.get("background") + "; allowed values: " + Background.allowedValues()));
    String note = Optional.ofNullable(request.get("note")).map(JsonNode::asText).orElse("");
    long revision = number(request, "revision");
    long version = number(request, "version");

    LabelRow row = new LabelRow(path, dataset.product(), background, category, note);
    LabelStore.Outcome outcome = store.save(row, revision, version);
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("saved", outcome.accepted());
    response.put("merged", outcome.merged());
    response.put("version", outcome.version());
    if (!outcome.accepted()) {
      response.put("message", "another page changed " + path + " first; its row is shown now");
    }
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("path", path);
    putEntry(item, outcome.current());
    response.put("item", item);
    return new Response(outcome.accepted() ? 200 : 409, JSON.writeValueAsBytes(response));
  }

  /** Returns the defect-free training images, or the normal test images when there are none. */
  private List<Sample> references() {
    List<Sample> train = dataset.train().stream().filter(s -> !s.anomalous()).toList();
    if (!train.isEmpty()) {
      return train;
    }
    return dataset.test().stream().filter(s -> !s.anomalous()).toList();
  }

  private String fileUrl(Path file) {
    String relative = root.relativize(file.toAbsolutePath().normalize()).toString()
        .replace('\\', '/');
    StringBuilder url = new StringBuilder("/files");
    for (String segment : relative.split("/")) {
      url.append('/').append(java.net.URLEncoder.encode(segment,
          java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return url.toString();
  }

  private static void putEntry(Map<String, Object> item, LabelStore.Entry entry) {
    item.put("row", rowJson(entry.row()));
    item.put("revision", entry.revision());
  }

  private static Map<String, Object> rowJson(LabelRow row) {
    if (row == null) {
      return null;
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("category", row.category().value());
    json.put("background", row.background().value());
    json.put("note", row.note());
    return json;
  }

  private static String text(JsonNode request, String field) {
    JsonNode value = request.get(field);
    if (value == null || !value.isTextual()) {
      throw new LabelServer.HttpError(400, "field " + field + " is missing or not a string");
    }
    return value.asText();
  }

  private static long number(JsonNode request, String field) {
    JsonNode value = request.get(field);
    if (value == null || !value.canConvertToLong()) {
      throw new LabelServer.HttpError(400, "field " + field + " is missing or not an integer");
    }
    return value.asLong();
  }
}
