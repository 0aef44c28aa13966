package org.flawmap.backbone.onnx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Prints the ONNX Runtime inference time of a backbone folder for batch 1 and batch 8 (a
 * measurement tool, not a test):
 *
 * <pre>
 * java -cp ... org.flawmap.backbone.onnx.BackboneTiming BACKBONE_DIR [THREADS...]
 * </pre>
 *
 * <p>For each intra-op thread count (default 1 and 2) it loads the backbone, warms up, and
 * reports the median and minimum over repeated {@link OnnxFeatureExtractor#extract} calls,
 * which include copying the input in and the stage maps out.
 */
public final class BackboneTiming {

  private BackboneTiming() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("Usage: BackboneTiming BACKBONE_DIR [THREADS...]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int[] threads = args.length > 1
        ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
        : new int[] {1, 2};
    System.out.printf("%s, %d processors, %s %s%n", dir,
        Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"),
        System.getProperty("java.vm.name"));
    for (int threadCount : threads) {
      try (OnnxFeatureExtractor extractor = OnnxFeatureExtractor.open(dir, threadCount)) {
        for (int batch : new int[] {1, 8}) {
          time(extractor, threadCount, batch);
        }
      }
    }
  }

  private static void time(OnnxFeatureExtractor extractor, int threads, int batch) {
    int size = 3 * extractor.info().inputHeight() * extractor.info().inputWidth();
    Random random = new Random(1);
    List<float[]> inputs = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      float[] image = new float[size];
      for (int k = 0; k < size; k++) {
        image[k] = random.nextFloat();
      }
      inputs.add(image);
    }
    int warmup = batch == 1 ? 10 : 3;
    int runs = batch == 1 ? 40 : 10;
    for (int i = 0; i < warmup; i++) {
      extractor.extract(inputs);
    }
    double[] millis = new double[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      extractor.extract(inputs);
      millis[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(millis);
    double median = millis[runs / 2];
    System.out.printf("threads %d, batch %d: median %.1f ms (min %.1f), %.1f ms per image%n",
        threads, batch, median, millis[0], median / batch);
  }
}
