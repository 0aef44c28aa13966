package org.flawmap.inference;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureExtractor;
import org.flawmap.backbone.FeatureMap;

/**
 * A {@link FeatureExtractor} that measures the wall time spent in its delegate's
 * {@link FeatureExtractor#extract}, so that a run can report the backbone's share of its time
 * apart from decoding, scoring and writing. Thread-safe, like the delegate.
 *
 * <p>{@link #close} does not close the delegate, because the delegate's owner does.
 */
public final class TimedFeatureExtractor implements FeatureExtractor {

  private final FeatureExtractor delegate;
  private final LongAdder nanos = new LongAdder();
  private final LongAdder images = new LongAdder();
  private final LongAdder calls = new LongAdder();

  public TimedFeatureExtractor(FeatureExtractor delegate) {
    this.delegate = delegate;
  }

  @Override
  public BackboneInfo info() {
    return delegate.info();
  }

  @Override
  public List<FeatureMap[]> extract(List<float[]> inputs) {
    long start = System.nanoTime();
    try {
      return delegate.extract(inputs);
    } finally {
      nanos.add(System.nanoTime() - start);
      images.add(inputs.size());
      calls.increment();
    }
  }

  /** Returns the wall time spent in the delegate's {@code extract}, summed over calls, in ns. */
  public long nanos() {
    return nanos.sum();
  }

  /** Returns the number of images passed to {@code extract}. */
  public long images() {
    return images.sum();
  }

  /** Returns the number of {@code extract} calls, that is of backbone batches. */
  public long calls() {
    return calls.sum();
  }

  @Override
  public void close() {}
}
