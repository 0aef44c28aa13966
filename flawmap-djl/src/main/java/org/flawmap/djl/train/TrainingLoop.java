package org.flawmap.djl.train;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.flawmap.djl.TorchEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a DJL block with Adam on mini-batches in a seeded order, logs epoch, loss and
 * validation, keeps the weights of the best validation epoch, stops early after
 * {@link TrainingOptions#patience} epochs without improvement, and writes a checkpoint after
 * every epoch that a later run with the same settings resumes from.
 *
 * <p>Gradients come from DJL's autograd on the PyTorch engine. One loop trains one block and is
 * not thread-safe.
 */
public final class TrainingLoop {

  private static final Logger log = LoggerFactory.getLogger(TrainingLoop.class);

  private final String name;
  private final Block block;
  private final NDManager manager;
  private final TrainingOptions options;

  /**
   * @param name model type, for logs and the checkpoint's fingerprint
   * @param block an initialised block whose parameters require gradients
   * @param manager the manager that owns the block's parameters
   */
  public TrainingLoop(String name, Block block, NDManager manager, TrainingOptions options) {
    this.name = name;
    this.block = block;
    this.manager = manager;
    this.options = options;
  }

  /**
   * Trains on {@code samples} training samples and leaves the best epoch's weights in the block.
   *
   * @param samples number of training samples that {@link Objective#loss} indexes
   * @param settings the model's own settings, part of the checkpoint's fingerprint so that a
   *     checkpoint of other settings is never resumed
   */
  public TrainingResult run(int samples, Objective objective, String settings) throws IOException {
    long start = System.nanoTime();
    String fingerprint = name + " " + settings + " " + options.fingerprint() + " n=" + samples;
    Checkpoint checkpoint = Checkpoint.in(options.checkpointDir(), fingerprint);
    Optimizer optimizer =
        Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) options.learningRate()))
            .build();

    Random order = new Random(options.seed());
    List<Double> losses = new ArrayList<>();
    List<Double> validations = new ArrayList<>();
    byte[] best = null;
    double bestValidation = Double.NaN;
    int bestEpoch = 0;
    int stale = 0;
    int resumed = 0;

    Checkpoint.State state = checkpoint.load();
    if (state != null) {
      restore(state.weights());
      best = state.bestWeights();
      losses.addAll(state.trainLoss());
      validations.addAll(state.validation());
      bestValidation = state.bestValidation();
      bestEpoch = state.bestEpoch();
      stale = state.staleEpochs();
      resumed = state.epoch();
      // The sample order of epoch e is the e-th draw of one seeded generator, so replay it.
      for (int e = 0; e < resumed; e++) {
        shuffled(samples, order);
      }
      log.info("{}: resumed from {} after epoch {}", name, options.checkpointDir(), resumed);
    }

    String stopReason = "epochs";
    long deadline =
        options.timeLimitSeconds() > 0
            ? start + (long) (options.timeLimitSeconds() * 1e9)
            : Long.MAX_VALUE;
    for (int epoch = resumed + 1; epoch <= options.maxEpochs(); epoch++) {
      Epoch pass = trainEpoch(samples, objective, optimizer, shuffled(samples, order), deadline);
      if (pass.diverged()) {
        stopReason = "diverged";
        if (best == null) {
          throw new IllegalStateException(
              ("%s: the training loss became infinite or NaN in epoch %d, before any epoch"
                  + " finished; lower learning_rate and fit again").formatted(name, epoch));
        }
        log.warn(
            "{}: the training loss became infinite or NaN in epoch {}; keeping the weights of"
                + " epoch {}. A lower learning_rate trains further", name, epoch, bestEpoch);
        break;
      }
      if (pass.skipped() > 0) {
        log.warn(
            "{}: dropped {} of {} steps in epoch {} because their gradients were infinite or"
                + " NaN", name, pass.skipped(), pass.batches(), epoch);
      }
      double loss = pass.meanLoss();
      double validation;
      try (NDManager scratch = manager.newSubManager()) {
        validation = objective.validate(scratch);
      }
      losses.add(loss);
      validations.add(validation);

      boolean improved =
          Double.isNaN(validation)
              || Double.isNaN(bestValidation)
              || validation < bestValidation - options.minDelta();
      if (improved) {
        best = weights();
        bestValidation = validation;
        bestEpoch = epoch;
        stale = 0;
      } else {
        stale++;
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      log.info(
          "{}: epoch {}/{} loss {} validation {}{} ({} s)", name, epoch, options.maxEpochs(),
          "%.5f".formatted(loss), "%.5f".formatted(validation), improved ? " (best)" : "",
          "%.0f".formatted(elapsed));
      if (pass.batches() < pass.totalBatches()) {
        // A partial epoch is not checkpointed: a resumed run replays whole epochs only.
        stopReason = "time-limit";
        log.warn(
            "{}: stopped in epoch {} after {} of {} batches because the time limit of {} s is"
                + " spent", name, epoch, pass.batches(), pass.totalBatches(),
            options.timeLimitSeconds());
        break;
      }
      checkpoint.save(
          new Checkpoint.State(
              epoch, weights(), best, losses, validations, bestValidation, bestEpoch, stale));

      if (options.patience() > 0 && stale >= options.patience()) {
        stopReason = "early-stopping";
        break;
      }
      if (options.timeLimitSeconds() > 0 && elapsed >= options.timeLimitSeconds()
          && epoch < options.maxEpochs()) {
        stopReason = "time-limit";
        log.warn(
            "{}: stopped after epoch {} because the time limit of {} s is spent", name, epoch,
            options.timeLimitSeconds());
        break;
      }
    }

    if (best != null) {
      restore(best);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new TrainingResult(
        losses.size(), bestEpoch, bestValidation, List.copyOf(losses), List.copyOf(validations),
        stopReason, resumed, seconds);
  }

  /**
   * The outcome of one pass: mean batch loss, batches run out of the epoch's total, steps
   * dropped for non-finite gradients, and whether a batch's loss was not finite, in which case
   * its step was not taken and the epoch ended.
   */
  private record Epoch(
      double meanLoss, int batches, int totalBatches, int skipped, boolean diverged) {}

  /**
   * Runs one epoch's batches in {@code order}, stopping after the batch that ends past
   * {@code deadline} (a {@link System#nanoTime} value), so that the time limit is kept to within
   * one batch and not one epoch.
   */
  private Epoch trainEpoch(
      int samples, Objective objective, Optimizer optimizer, int[] order, long deadline) {
    Engine engine = TorchEngine.get();
    double sum = 0;
    int batches = 0;
    int skipped = 0;
    int total = (samples + options.batchSize() - 1) / options.batchSize();
    for (int from = 0; from < samples; from += options.batchSize()) {
      int[] batch =
          java.util.Arrays.copyOfRange(order, from, Math.min(samples, from + options.batchSize()));
      try (NDManager scratch = manager.newSubManager()) {
        try (GradientCollector collector = engine.newGradientCollector()) {
          NDArray loss = objective.loss(scratch, batch);
          float value = loss.getFloat();
          if (!Float.isFinite(value)) {
            return new Epoch(Double.NaN, batches, total, skipped, true);
          }
          sum += value;
          collector.backward(loss);
        }
        if (!gradientsFinite(scratch)) {
          // Seen on CFLOW: a step whose loss and activations were finite returned NaN
          // gradients for every parameter. Adam would write them into its moments and the
          // weights, so the step is dropped instead, as mixed-precision loss scaling does.
          clearGradients();
          skipped++;
          batches++;
          if (System.nanoTime() >= deadline) {
            break;
          }
          continue;
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
          NDArray weight = p.getValue().getArray();
          if (weight.hasGradient()) {
            optimizer.update(p.getValue().getId(), weight, weight.getGradient());
          }
        }
      }
      batches++;
      if (System.nanoTime() >= deadline) {
        break;
      }
    }
    return new Epoch(sum / batches, batches, total, skipped, false);
  }

  /**
   * Returns whether every parameter gradient is finite. The gradients are summed on the engine
   * so that one value is read back; a NaN or infinity anywhere makes the sum non-finite.
   * NOTE: finite gradients whose sum overflows float32 (about 3.4e38) also count as
   * non-finite.
   */
  private boolean gradientsFinite(NDManager scratch) {
    NDArray total = scratch.zeros(new Shape());
    for (Pair<String, Parameter> p : block.getParameters()) {
      NDArray weight = p.getValue().getArray();
      if (weight.hasGradient()) {
        NDArray sum = weight.getGradient().sum();
        sum.attach(scratch);
        total = total.add(sum);
      }
    }
    return Float.isFinite(total.getFloat());
  }

  /**
   * Overwrites every gradient with zeros. Subtracting or multiplying would keep NaN values, so
   * the zeros are copied in.
   */
  private void clearGradients() {
    for (Pair<String, Parameter> p : block.getParameters()) {
      NDArray weight = p.getValue().getArray();
      if (weight.hasGradient()) {
        NDArray gradient = weight.getGradient();
        gradient.set(new float[Math.toIntExact(gradient.size())]);
      }
    }
  }

  private static int[] shuffled(int n, Random random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  private byte[] weights() throws IOException {
    return Weights.toBytes(block);
  }

  private void restore(byte[] weights) throws IOException {
    try {
      Weights.load(block, manager, weights);
    } catch (MalformedModelException e) {
      throw new IOException("stored weights do not fit the network: " + e.getMessage(), e);
    }
    // Loaded arrays are new, so gradients have to be attached again.
    for (Pair<String, Parameter> p : block.getParameters()) {
      NDArray weight = p.getValue().getArray();
      if (p.getValue().requiresGradient() && !weight.hasGradient()) {
        weight.setRequiresGradient(true);
      }
    }
  }
}
