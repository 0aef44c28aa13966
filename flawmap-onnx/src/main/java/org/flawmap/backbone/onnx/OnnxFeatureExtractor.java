package org.flawmap.backbone.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureExtractor;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.backbone.StageInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link FeatureExtractor} that runs an ONNX backbone on ONNX Runtime (CPU) and returns the
 * outputs named in its {@link BackboneDescriptor}.
 *
 * <p>Loading checks the SHA-256 of the ONNX bytes against the descriptor, that the graph has the
 * descriptor's input and stage outputs, and, with one run on a zero image, that every stage has
 * the declared channels and {@code input / stride} rows and columns. The session uses graph
 * optimization level ALL, one inter-op thread and a caller-chosen number of intra-op threads.
 *
 * <p>Thread-safe: ONNX Runtime allows concurrent runs of one session, and {@link #close()} waits
 * for runs in progress. Each {@link #extract} call is one batched run that fetches only the stage
 * outputs, or several runs if the graph fixes a smaller batch size.
 */
public final class OnnxFeatureExtractor implements FeatureExtractor {

  private static final Logger LOG = LoggerFactory.getLogger(OnnxFeatureExtractor.class);

  private final OrtEnvironment environment;
  private final OrtSession session;
  private final BackboneDescriptor descriptor;
  private final BackboneInfo info;
  private final String modelName;
  private final Set<String> stageNames;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  /** Images per ONNX Runtime run: the graph's fixed batch size, or unlimited. */
  private volatile int maxBatch = Integer.MAX_VALUE;

  private OnnxFeatureExtractor(OrtEnvironment environment, OrtSession session,
      BackboneDescriptor descriptor, String modelName) {
    this.environment = environment;
    this.session = session;
    this.descriptor = descriptor;
    this.info = descriptor.toInfo();
    this.modelName = modelName;
    this.stageNames = new LinkedHashSet<>();
    for (StageInfo stage : descriptor.stages()) {
      stageNames.add(stage.name());
    }
  }

  /** Returns the default intra-op thread count: the available processors. */
  public static int defaultIntraOpThreads() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** Loads a backbone folder with {@link #defaultIntraOpThreads()} threads. */
  public static OnnxFeatureExtractor open(Path backboneDir) throws IOException {
    return open(backboneDir, defaultIntraOpThreads());
  }

  /**
   * Loads a backbone folder that contains {@code backbone.json} and the ONNX file it names.
   *
   * @param intraOpThreads threads ONNX Runtime uses inside one operator, at least 1
   * @throws IOException if a file cannot be read
   * @throws BackboneException if a file is missing, the descriptor is invalid, the checksum
   *     differs or the graph disagrees with the descriptor
   */
  public static OnnxFeatureExtractor open(Path backboneDir, int intraOpThreads)
      throws IOException {
    Path descriptorFile = backboneDir.resolve(BackboneDescriptor.FILE_NAME);
    if (!Files.isRegularFile(descriptorFile)) {
      throw new BackboneException(descriptorFile + " not found; a backbone folder needs "
          + BackboneDescriptor.FILE_NAME + " and the ONNX file it names");
    }
    BackboneDescriptor descriptor = BackboneDescriptor.read(descriptorFile);
    Path onnxFile = backboneDir.resolve(descriptor.onnx());
    if (!Files.isRegularFile(onnxFile)) {
      throw new BackboneException(onnxFile + " not found, but " + descriptorFile
          + " names it in 'onnx'; restore the file or fix the descriptor");
    }
    return create(Files.readAllBytes(onnxFile), descriptor, intraOpThreads,
        onnxFile.toString(), descriptorFile.toString());
  }

  /**
   * Loads a backbone from ONNX bytes and a descriptor, for example both read from a model
   * archive.
   *
   * @param intraOpThreads threads ONNX Runtime uses inside one operator, at least 1
   * @throws BackboneException if the checksum differs or the graph disagrees with the descriptor
   */
  public static OnnxFeatureExtractor fromBytes(byte[] onnxModel, BackboneDescriptor descriptor,
      int intraOpThreads) {
    return create(onnxModel, descriptor, intraOpThreads, descriptor.onnx(),
        "the descriptor of " + descriptor.id());
  }

  private static OnnxFeatureExtractor create(byte[] onnxModel, BackboneDescriptor descriptor,
      int intraOpThreads, String modelName, String descriptorName) {
    if (intraOpThreads < 1) {
      throw new IllegalArgumentException("intraOpThreads must be at least 1, found "
          + intraOpThreads);
    }
    String actual = Checksums.sha256Hex(onnxModel);
    if (!actual.equals(descriptor.sha256())) {
      throw new BackboneException(modelName + ": SHA-256 is " + actual + " but "
          + descriptorName + " expects " + descriptor.sha256() + ". The file is damaged or was"
          + " replaced: restore the original (or rerun the import or export that wrote it), or,"
          + " if the new model is intended, write its checksum into 'sha256'");
    }

    long start = System.nanoTime();
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    OrtSession session;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setIntraOpNumThreads(intraOpThreads);
      options.setInterOpNumThreads(1);
      session = environment.createSession(onnxModel, options);
    } catch (OrtException e) {
      throw new BackboneException(modelName + ": ONNX Runtime failed to load the model: "
          + e.getMessage(), e);
    }

    OnnxFeatureExtractor extractor =
        new OnnxFeatureExtractor(environment, session, descriptor, modelName);
    try {
      extractor.checkGraph();
      extractor.extract(List.of(new float[3 * descriptor.inputHeight()
          * descriptor.inputWidth()]));
    } catch (RuntimeException e) {
      extractor.close();
      throw e;
    }
    LOG.info("Loaded backbone {} from {}: {} stages, {} intra-op threads, {} ms",
        descriptor.id(), modelName, descriptor.stages().size(), intraOpThreads,
        (System.nanoTime() - start) / 1_000_000);
    return extractor;
  }

  @Override
  public BackboneInfo info() {
    return info;
  }

  /** Returns the descriptor this extractor was loaded with. */
  public BackboneDescriptor descriptor() {
    return descriptor;
  }

  /**
   * Runs the backbone on a batch, in one ONNX Runtime call unless the graph fixes a smaller batch.
   *
   * @param inputs CHW arrays of {@code 3 × inputHeight × inputWidth} values, normalised as the
   *     descriptor describes; an empty list returns an empty list without a run
   * @return per input, one CHW feature map per stage in descriptor order
   * @throws IllegalArgumentException if an input has the wrong length
   * @throws IllegalStateException if the extractor is closed
   * @throws BackboneException if ONNX Runtime fails or returns a shape the descriptor disagrees
   *     with
   */
  @Override
  public List<FeatureMap[]> extract(List<float[]> inputs) {
    if (inputs.isEmpty()) {
      return List.of();
    }
    int perImage = 3 * descriptor.inputHeight() * descriptor.inputWidth();
    for (int i = 0; i < inputs.size(); i++) {
      if (inputs.get(i).length != perImage) {
        throw new IllegalArgumentException("input " + i + " has " + inputs.get(i).length
            + " values, expected 3 x " + descriptor.inputHeight() + " x "
            + descriptor.inputWidth() + " = " + perImage + " (CHW) for backbone "
            + descriptor.id());
      }
    }

    if (inputs.size() <= maxBatch) {
      return run(inputs);
    }
    List<FeatureMap[]> maps = new ArrayList<>(inputs.size());
    for (int from = 0; from < inputs.size(); from += maxBatch) {
      maps.addAll(run(inputs.subList(from, Math.min(inputs.size(), from + maxBatch))));
    }
    return maps;
  }

  private List<FeatureMap[]> run(List<float[]> inputs) {
    int height = descriptor.inputHeight();
    int width = descriptor.inputWidth();
    FloatBuffer batch = ByteBuffer.allocateDirect(4 * 3 * height * width * inputs.size())
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
    for (float[] input : inputs) {
      batch.put(input);
    }
    batch.rewind();

    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("feature extractor for " + modelName + " is closed");
      }
      long[] shape = {inputs.size(), 3, height, width};
      try (OnnxTensor tensor = OnnxTensor.createTensor(environment, batch, shape);
          OrtSession.Result result =
              session.run(Map.of(descriptor.inputName(), tensor), stageNames)) {
        return split(result, inputs.size());
      }
    } catch (OrtException e) {
      throw new BackboneException(modelName + ": ONNX Runtime run failed on a batch of "
          + inputs.size() + ": " + e.getMessage(), e);
    } finally {
      lock.readLock().unlock();
    }
  }

  private List<FeatureMap[]> split(OrtSession.Result result, int batchSize) throws OrtException {
    List<FeatureMap[]> maps = new ArrayList<>(batchSize);
    for (int i = 0; i < batchSize; i++) {
      maps.add(new FeatureMap[descriptor.stages().size()]);
    }
    for (int s = 0; s < descriptor.stages().size(); s++) {
      StageInfo stage = descriptor.stages().get(s);
      OnnxValue value = result.get(stage.name()).orElseThrow();
      if (!(value instanceof OnnxTensor tensor)) {
        throw new BackboneException(modelName + ": output '" + stage.name() + "' is not a tensor");
      }
      long[] shape = tensor.getInfo().getShape();
      checkStageShape(stage, shape, batchSize);
      int channels = (int) shape[1];
      int rows = (int) shape[2];
      int columns = (int) shape[3];
      int size = channels * rows * columns;
      FloatBuffer data = tensor.getFloatBuffer();
      for (int i = 0; i < batchSize; i++) {
        float[] values = new float[size];
        data.get(i * size, values);
        maps.get(i)[s] = new FeatureMap(channels, rows, columns, stage.stride(), values);
      }
    }
    return maps;
  }

  /** Checks the graph's declared input and outputs before the probe run. */
  private void checkGraph() {
    try {
      Map<String, NodeInfo> inputs = session.getInputInfo();
      if (inputs.size() != 1 || !inputs.containsKey(descriptor.inputName())) {
        throw new BackboneException(modelName + ": graph inputs are " + inputs.keySet()
            + " but the descriptor's 'input.name' is '" + descriptor.inputName()
            + "'; the backbone must have exactly this one input");
      }
      long[] expected = {-1, 3, descriptor.inputHeight(), descriptor.inputWidth()};
      long[] declared = tensorShape(inputs.get(descriptor.inputName()), descriptor.inputName());
      if (declared.length != 4 || !compatible(declared, expected)) {
        throw new BackboneException(modelName + ": input '" + descriptor.inputName()
            + "' has shape " + java.util.Arrays.toString(declared) + " but the descriptor"
            + " needs [batch, 3, " + descriptor.inputHeight() + ", " + descriptor.inputWidth()
            + "]; fix 'input' in the descriptor or re-export the model");
      }
      if (declared[0] > 0) {
        maxBatch = (int) declared[0];
        LOG.info("{} has a fixed batch size of {}; larger batches run in parts", modelName,
            maxBatch);
      }
      Map<String, NodeInfo> outputs = session.getOutputInfo();
      for (StageInfo stage : descriptor.stages()) {
        if (!outputs.containsKey(stage.name())) {
          throw new BackboneException(modelName + ": stage '" + stage.name()
              + "' is not a graph output; outputs are " + outputs.keySet()
              + ". Fix 'stages' in the descriptor or export the layer as an output");
        }
        long[] shape = tensorShape(outputs.get(stage.name()), stage.name());
        if (shape.length != 4 || (shape[1] > 0 && shape[1] != stage.channels())) {
          throw stageMismatch(stage, shape);
        }
      }
    } catch (OrtException e) {
      throw new BackboneException(modelName + ": reading the graph inputs and outputs failed: "
          + e.getMessage(), e);
    }
  }

  private long[] tensorShape(NodeInfo node, String name) {
    if (!(node.getInfo() instanceof TensorInfo tensorInfo)
        || tensorInfo.type != ai.onnxruntime.OnnxJavaType.FLOAT) {
      throw new BackboneException(modelName + ": '" + name + "' must be a float32 tensor, found "
          + node.getInfo());
    }
    return tensorInfo.getShape();
  }

  private void checkStageShape(StageInfo stage, long[] shape, int batchSize) {
    boolean valid = shape.length == 4 && shape[0] == batchSize && shape[1] == stage.channels()
        && matchesStride(shape[2], descriptor.inputHeight(), stage.stride())
        && matchesStride(shape[3], descriptor.inputWidth(), stage.stride());
    if (!valid) {
      throw stageMismatch(stage, shape);
    }
  }

  private BackboneException stageMismatch(StageInfo stage, long[] shape) {
    return new BackboneException(modelName + ": output '" + stage.name() + "' has shape "
        + java.util.Arrays.toString(shape) + " but the descriptor declares " + stage.channels()
        + " channels at stride " + stage.stride() + ", so [batch, " + stage.channels() + ", "
        + descriptor.inputHeight() / stage.stride() + ", "
        + descriptor.inputWidth() / stage.stride() + "]; fix 'stages' in the descriptor");
  }

  /** Accepts the division rounded down or up, because 'same' and PyTorch padding differ. */
  private static boolean matchesStride(long cells, int pixels, int stride) {
    return cells == pixels / stride || cells == (pixels + stride - 1) / stride;
  }

  private static boolean compatible(long[] declared, long[] expected) {
    for (int i = 0; i < declared.length; i++) {
      if (declared[i] > 0 && expected[i] > 0 && declared[i] != expected[i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      session.close();
    } catch (OrtException e) {
      LOG.warn("Closing the ONNX Runtime session of {} failed: {}", modelName, e.getMessage());
    } finally {
      lock.writeLock().unlock();
    }
  }
}
