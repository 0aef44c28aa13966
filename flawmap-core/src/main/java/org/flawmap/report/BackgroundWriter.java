package org.flawmap.report;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs output writes on background threads, so that encoding and writing files does not hold
 * up the thread that feeds the backbone.
 *
 * <p>At most {@code capacity} tasks are queued or running at once, and {@link #submit} blocks
 * while that many are, so memory stays bounded when the disk is slower than the backbone. The
 * first task that fails stops the writer: later tasks are dropped, and {@link #submit} and
 * {@link #finish} throw an {@link IOException} that names the failed task and its cause.
 */
public final class BackgroundWriter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BackgroundWriter.class);

  /** One write; its description names what it writes, for the error message. */
  @FunctionalInterface
  public interface Task {
    void run() throws Exception;
  }

  private final ExecutorService threads;
  private final Semaphore slots;
  private final int capacity;
  private final AtomicReference<IOException> failure = new AtomicReference<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final LongAdder busyNanos = new LongAdder();
  private final LongAdder completed = new LongAdder();

  /**
   * @param threadCount writer threads, at least 1
   * @param capacity tasks queued or running at most, at least {@code threadCount}
   */
  public BackgroundWriter(int threadCount, int capacity) {
    if (threadCount < 1 || capacity < threadCount) {
      throw new IllegalArgumentException(
          "writer needs at least 1 thread and a capacity of at least its thread count, found"
              + " %d threads and capacity %d".formatted(threadCount, capacity));
    }
    this.capacity = capacity;
    this.slots = new Semaphore(capacity);
    this.threads =
        Executors.newFixedThreadPool(
            threadCount,
            r -> {
              Thread t = new Thread(r, "flawmap-write");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Queues a task, waiting while {@code capacity} tasks are queued or running.
   *
   * @param description what the task writes, for example the input image's name
   * @throws IOException when an earlier task failed, in which case nothing is queued
   */
  public void submit(String description, Task task) throws IOException, InterruptedException {
    throwIfFailed();
    slots.acquire();
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      threads.execute(() -> runTask(description, task));
    } catch (RuntimeException e) {
      inFlight.decrementAndGet();
      slots.release();
      throw e;
    }
  }

  private void runTask(String description, Task task) {
    long start = System.nanoTime();
    try {
      if (failure.get() == null) {
        task.run();
        completed.increment();
      }
    } catch (Exception | Error e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      IOException wrapped =
          new IOException("failed to write the outputs of " + description + ": " + message, e);
      if (failure.compareAndSet(null, wrapped)) {
        log.debug("background write failed", e);
      }
    } finally {
      busyNanos.add(System.nanoTime() - start);
      inFlight.decrementAndGet();
      slots.release();
    }
  }

  /** Waits until every queued task has run, then throws the first failure if there was one. */
  public void finish() throws IOException, InterruptedException {
    slots.acquire(capacity);
    slots.release(capacity);
    throwIfFailed();
  }

  private void throwIfFailed() throws IOException {
    IOException e = failure.get();
    if (e != null) {
      throw new IOException(e.getMessage(), e.getCause());
    }
  }

  /** Returns the wall time the writer threads spent in tasks, summed over threads, in ns. */
  public long busyNanos() {
    return busyNanos.sum();
  }

  /** Returns the number of tasks that ran to the end without an error. */
  public long completed() {
    return completed.sum();
  }

  /** Returns the largest number of tasks that were queued or running at the same time. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  /**
   * Runs the tasks still queued, unless one failed, and stops the threads. On an error
   * elsewhere in the run this keeps the outputs of images already scored, so a resumed run
   * need not redo them. An interrupt while waiting stops the running tasks.
   */
  @Override
  public void close() {
    threads.shutdown();
    try {
      while (!threads.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) {
        log.info("Waiting for {} output writes to finish", inFlight.get());
      }
    } catch (InterruptedException e) {
      threads.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
