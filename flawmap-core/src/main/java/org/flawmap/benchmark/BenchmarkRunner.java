package org.flawmap.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.flawmap.backbone.FeatureCache;
import org.flawmap.backbone.FeatureExtractor;
import org.flawmap.dataset.OnBadFile;
import org.flawmap.dataset.Sample;
import org.flawmap.engine.DatasetSession;
import org.flawmap.engine.EvaluateJob;
import org.flawmap.engine.RunOptions;
import org.flawmap.labels.LabelValidator;
import org.flawmap.labels.Labels;
import org.flawmap.report.AtomicFiles;
import org.flawmap.report.html.BenchmarkHtml;
import org.flawmap.util.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a benchmark: every product × backbone × model × seed cell, each fitted, calibrated with
 * every threshold estimator and tested. Backbone features are cached on disk per product and
 * backbone, so the backbone runs once per image. Each finished cell is written atomically to
 * {@code OUTPUT/cells/}, and a cell whose file exists is not run again, so an interrupted run
 * resumes where it stopped. At the end {@code results.json}, {@code results.csv} and the
 * self-contained {@code report.html} gather all cells.
 */
public final class BenchmarkRunner {

  private static final Logger log = LoggerFactory.getLogger(BenchmarkRunner.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final BenchmarkConfig config;
  private final Path output;
  private final BackboneProvider backbones;
  private final String flawmapVersion;
  private int stopAfterCells = Integer.MAX_VALUE;

  public BenchmarkRunner(
      BenchmarkConfig config, Path output, BackboneProvider backbones, String flawmapVersion) {
    this.config = config;
    this.output = output;
    this.backbones = backbones;
    this.flawmapVersion = flawmapVersion;
  }

  /** Stops after computing this many new cells, as an interruption would; for tests. */
  public BenchmarkRunner stopAfterCells(int cells) {
    this.stopAfterCells = cells;
    return this;
  }

  /** Summary of a run. */
  public record Outcome(int cells, int computed, int reused, boolean complete) {}

  /** An opened dataset with its groups and the fingerprint of everything that shapes its cells. */
  private record Prepared(
      BenchmarkConfig.DatasetSpec spec,
      DatasetSession session,
      Function<Sample, List<String>> groupsOf,
      ObjectNode provenance,
      String fingerprint) {}

  /** A cell of this run and the file that stores its result. */
  private record Planned(CellKey key, Path file) {}

  public Outcome run() throws Exception {
    String started = Instant.now().toString();
    // Every dataset and label file is checked before the first cell, so a bad second dataset
    // fails in seconds rather than after the first dataset's cells.
    List<Prepared> prepared = prepare();
    int total = prepared.size() * config.backbones().size() * config.models().size()
        * config.seeds().size();
    int computed = 0;
    int reused = 0;
    List<Planned> planned = new ArrayList<>();
    try (Progress progress = new Progress("benchmark", total, "cells")) {
      for (Prepared p : prepared) {
        DatasetSession session = p.session();
        for (String backboneName : config.backbones()) {
          try (FeatureExtractor extractor = backbones.open(backboneName)) {
            String backbone = extractor.info().id();
            session.useFeatureCache(new FeatureCache(
                output.resolve("cache").resolve(session.dataset().product())
                    .resolve(backbone + "-" + shortHash(extractor.info().sha256())),
                extractor.info()));
            for (ModelSpec model : config.models()) {
              for (long seed : config.seeds()) {
                CellKey key = new CellKey(session.dataset().product(), model.label(), backbone,
                    seed);
                String fingerprint = Fingerprints.of(p.fingerprint(), extractor.info().sha256(),
                    model.label(), Long.toString(seed));
                Path file = output.resolve("cells")
                    .resolve(key.fileName() + "__" + shortHash(fingerprint) + ".json");
                planned.add(new Planned(key, file));
                if (isFinished(file, key)) {
                  reused++;
                } else {
                  if (computed >= stopAfterCells) {
                    log.info("Stopping after {} new cells as requested", computed);
                    return new Outcome(total, computed, reused, false);
                  }
                  ObjectNode cell = new CellRunner(config, output)
                      .run(key, session, extractor, model, p.groupsOf());
                  AtomicFiles.write(file, out -> out.write(JSON.writeValueAsBytes(cell)));
                  computed++;
                }
                progress.step();
              }
            }
          }
        }
      }
    }
    writeResults(started, prepared.stream().map(Prepared::provenance).toList(), planned);
    return new Outcome(total, computed, reused, true);
  }

  /**
   * Returns whether a cell's file exists and reads as JSON. The file name carries the
   * fingerprint of the data, labels, split, estimators, backbone, model and seed, so a file
   * from another configuration or other data is never taken for this cell.
   */
  private static boolean isFinished(Path file, CellKey key) {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try {
      JSON.readTree(file.toFile());
      log.info("Cell {} is done already ({}); skipping", key, file);
      return true;
    } catch (IOException e) {
      log.warn("Cell file {} cannot be read ({}); computing cell {} again", file,
          e.getMessage(), key);
      return false;
    }
  }

  private List<Prepared> prepare() throws IOException {
    List<Prepared> prepared = new ArrayList<>();
    java.util.Map<String, Path> products = new java.util.HashMap<>();
    for (int i = 0; i < config.datasets().size(); i++) {
      BenchmarkConfig.DatasetSpec spec = config.datasets().get(i);
      try {
        RunOptions options = new RunOptions(
            spec.layout(), config.splitSeed(), config.validationFraction(), 8, 2, OnBadFile.FAIL);
        DatasetSession session = DatasetSession.open(spec.path(), options);
        Path earlier = products.putIfAbsent(session.dataset().product(), spec.path());
        if (earlier != null) {
          throw new IllegalArgumentException(
              ("product name %s is used by both %s and %s; cells and reports are keyed by"
                  + " product, so give one of the folders another name")
                  .formatted(session.dataset().product(), earlier, spec.path()));
        }
        Function<Sample, List<String>> groupsOf = groups(spec, session);
        ObjectNode provenance = Provenance.dataset(spec, session);
        String fingerprint = Fingerprints.of(
            provenance.path("sha256").asText(),
            spec.labels() == null ? "no labels" : Fingerprints.ofFile(spec.labels()),
            Long.toString(config.splitSeed()), Double.toString(config.validationFraction()),
            config.thresholds().toString(), config.thresholdOptions().toString(),
            Integer.toString(config.galleryPerKind()));
        prepared.add(new Prepared(spec, session, groupsOf, provenance, fingerprint));
      } catch (RuntimeException | IOException e) {
        throw new IllegalArgumentException(
            "benchmark datasets[%d] (%s): %s".formatted(i, spec.path(), e.getMessage()), e);
      }
    }
    return prepared;
  }

  private Function<Sample, List<String>> groups(
      BenchmarkConfig.DatasetSpec spec, DatasetSession session) throws IOException {
    if (spec.labels() == null) {
      return EvaluateJob::defectTypeGroup;
    }
    Labels labels = LabelValidator.validate(spec.labels(), session.dataset());
    labels.requireNoProblems();
    return labels::groupsOf;
  }

  private static String shortHash(String sha256) {
    return sha256.length() > 12 ? sha256.substring(0, 12) : sha256;
  }

  private void writeResults(String started, List<ObjectNode> datasets, List<Planned> cellsRun)
      throws IOException {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode provenance = root.putObject("provenance");
    provenance.set("config", config.source());
    provenance.put("flawmap_version", flawmapVersion);
    provenance.put("java_version", System.getProperty("java.version"));
    provenance.put("started", started);
    provenance.put("finished", Instant.now().toString());
    ObjectNode machine = provenance.putObject("machine");
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    ArrayNode ds = provenance.putArray("datasets");
    datasets.forEach(ds::add);
    ArrayNode seeds = provenance.putArray("seeds");
    config.seeds().forEach(seeds::add);

    // Cells are read back in configuration order, so results do not depend on run order.
    ArrayNode cells = root.putArray("cells");
    for (Planned p : cellsRun) {
      cells.add(JSON.readTree(p.file().toFile()));
    }
    AtomicFiles.write(
        output.resolve("results.json"), out -> out.write(JSON.writeValueAsBytes(root)));
    AtomicFiles.writeString(output.resolve("results.csv"), ResultsCsv.format(cells));
    BenchmarkHtml.write(output);
    log.info("Wrote {} cells to {}, {} and {}", cells.size(), output.resolve("results.json"),
        output.resolve("results.csv"), output.resolve(BenchmarkHtml.FILE_NAME));
  }
}
