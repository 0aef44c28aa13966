package org.flawmap.util;

import java.io.PrintStream;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A progress bar for long loops. On a terminal it redraws one line on standard error. Elsewhere
 * (CI, redirected output) it logs a line at every tenth of the work, so logs stay short.
 */
public final class Progress implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Progress.class);
  private static final int BAR_WIDTH = 28;

  private final String label;
  private final long total;
  private final String unit;
  private final PrintStream out;
  private final boolean interactive;
  private final long startNanos = System.nanoTime();
  private long done;
  private long lastDrawNanos;
  private int lastLoggedTenth = -1;

  public Progress(String label, long total, String unit) {
    this(label, total, unit, System.err, System.console() != null);
  }

  Progress(String label, long total, String unit, PrintStream out, boolean interactive) {
    this.label = label;
    this.total = Math.max(0, total);
    this.unit = unit;
    this.out = out;
    this.interactive = interactive;
  }

  public synchronized void step() {
    advance(1);
  }

  public synchronized void advance(long count) {
    done += count;
    long now = System.nanoTime();
    if (interactive) {
      if (now - lastDrawNanos > 100_000_000L || done >= total) {
        lastDrawNanos = now;
        out.print("\r" + line(now));
        out.flush();
      }
    } else {
      int tenth = total == 0 ? 10 : (int) (10 * done / total);
      if (tenth > lastLoggedTenth) {
        lastLoggedTenth = tenth;
        log.info("{}", line(now));
      }
    }
  }

  /** Returns the elapsed seconds. */
  public synchronized double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  String line(long now) {
    double seconds = (now - startNanos) / 1e9;
    double rate = seconds > 0 ? done / seconds : 0;
    int filled = total == 0 ? BAR_WIDTH : (int) (BAR_WIDTH * Math.min(done, total) / total);
    String bar = "=".repeat(filled) + " ".repeat(BAR_WIDTH - filled);
    String eta =
        rate > 0 && done < total ? format(Duration.ofSeconds((long) ((total - done) / rate))) : "-";
    return "%s [%s] %d/%d %s, %.1f %s/s, left %s"
        .formatted(label, bar, done, total, unit, rate, unit, eta);
  }

  private static String format(Duration d) {
    return "%d:%02d:%02d".formatted(d.toHours(), d.toMinutesPart(), d.toSecondsPart());
  }

  @Override
  public synchronized void close() {
    if (interactive) {
      out.print("\r" + line(System.nanoTime()) + System.lineSeparator());
      out.flush();
    }
    log.info("{}: {} {} in {} s", label, done, unit, "%.1f".formatted(elapsedSeconds()));
  }
}
