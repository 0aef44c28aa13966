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

  public Outcome run() throws Exception {
    String started = Instant.now().toString();
    int total = config.datasets().size() * config.backbones().size() * config.models().size()
        * config.seeds().size();
    int computed = 0;
    int reused = 0;
    List<ObjectNode> datasets = new ArrayList<>();
    List<CellKey> keys = new ArrayList<>();
    try (Progress progress = new Progress("benchmark", total, "cells")) {
      for (BenchmarkConfig.DatasetSpec spec : config.datasets()) {
        RunOptions options = new RunOptions(
            spec.layout(), config.splitSeed(), config.validationFraction(), 8, 2, OnBadFile.FAIL);
        DatasetSession session = DatasetSession.open(spec.path(), options);
        Function<Sample, List<String>> groupsOf = groups(spec, session);
        datasets.add(Provenance.dataset(spec, session));
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
                keys.add(key);
                Path file = cellFile(key);
                if (Files.isRegularFile(file)) {
                  reused++;
                  log.info("Cell {} is done already ({}); skipping", key, file);
                } else {
                  if (computed >= stopAfterCells) {
                    log.info("Stopping after {} new cells as requested", computed);
                    return new Outcome(total, computed, reused, false);
                  }
                  ObjectNode cell =
                      new CellRunner(config, output).run(key, session, extractor, model, groupsOf);
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
    writeResults(started, datasets, keys);
    return new Outcome(total, computed, reused, true);
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

  private Path cellFile(CellKey key) {
    return output.resolve("cells").resolve(key.fileName() + ".json");
  }

  private static String shortHash(String sha256) {
    return sha256.length() > 12 ? sha256.substring(0, 12) : sha256;
  }

  private void writeResults(String started, List<ObjectNode> datasets, List<CellKey> keys)
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
    for (CellKey key : keys) {
      cells.add(JSON.readTree(cellFile(key).toFile()));
    }
    AtomicFiles.write(
        output.resolve("results.json"), out -> out.write(JSON.writeValueAsBytes(root)));
    AtomicFiles.writeString(output.resolve("results.csv"), ResultsCsv.format(cells));
    BenchmarkHtml.write(output);
    log.info("Wrote {} cells to {}, {} and {}", cells.size(), output.resolve("results.json"),
        output.resolve("results.csv"), output.resolve(BenchmarkHtml.FILE_NAME));
  }
}
