package org.flawmap.cli;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A shutdown hook that prints how far an interrupted predict got. SIGINT and SIGTERM run
 * shutdown hooks before the JVM exits, so the hook is where an interrupted run can still print.
 * {@link #close} removes it once the run ends by itself, with success or an error, so only an
 * interruption prints.
 */
final class InterruptNotice implements AutoCloseable {

  private final int total;
  private final AtomicInteger done;
  private final PrintStream err;
  private final Thread hook;

  /**
   * Registers the hook.
   *
   * @param total images of the run, including those finished by an earlier run
   * @param doneEarlier images that an earlier run into the same folder finished
   */
  InterruptNotice(int total, int doneEarlier, PrintStream err) {
    this.total = total;
    this.done = new AtomicInteger(doneEarlier);
    this.err = err;
    this.hook = new Thread(this::print, "flawmap-interrupt-notice");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Counts one more finished image. */
  void finished() {
    done.incrementAndGet();
  }

  String message() {
    return "flawmap: interrupted after %d of %d images; run the same command again to resume"
        .formatted(done.get(), total);
  }

  private void print() {
    err.println(message());
    err.flush();
  }

  /** Returns whether the hook is still registered, for tests. */
  boolean registered() {
    boolean removed;
    try {
      removed = Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      return true;
    }
    if (removed) {
      Runtime.getRuntime().addShutdownHook(hook);
    }
    return removed;
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is already exiting because of a signal, and the hook prints the notice.
    }
  }
}
