package org.flawmap.cli;

import org.flawmap.metrics.PixelMetrics;
import picocli.CommandLine.Option;

/** The AUPRO false-positive-rate limit of the commands that compute metrics. */
final class FprLimitOption {

  @Option(
      names = "--fpr-limit",
      defaultValue = "0.3",
      paramLabel = "RATE",
      description = "AUPRO integrates up to this false-positive rate, in (0, 1]"
          + " (default: ${DEFAULT-VALUE}).")
  double fprLimit;

  /** Returns the limit after checking its range. */
  double value() {
    if (!(fprLimit > 0 && fprLimit <= 1)) {
      throw new IllegalArgumentException(
          "--fpr-limit must be in (0, 1], found %s; the MVTec AD protocol uses %s"
              .formatted(fprLimit, PixelMetrics.DEFAULT_FPR_LIMIT));
    }
    return fprLimit;
  }
}
