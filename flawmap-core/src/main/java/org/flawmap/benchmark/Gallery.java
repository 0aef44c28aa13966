package org.flawmap.benchmark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Picks the test images a person should look at for one cell. These are the anomalous images
 * with the lowest and the highest IoU at the cell's threshold, and the false positives: the
 * normal images predicted anomalous, highest image score first.
 */
final class Gallery {

  /** One candidate image. {@code iou} is NaN for normal images and empty masks. */
  record Candidate(String id, boolean anomalous, double iou, double imageScore,
      boolean predictedAnomalous) {}

  /** A picked image and why. */
  record Pick(String kind, Candidate candidate) {}

  private final List<Candidate> candidates = new ArrayList<>();

  synchronized void add(Candidate c) {
    candidates.add(c);
  }

  /** Returns up to {@code perKind} images of each kind: worst, best, false_positive. */
  synchronized List<Pick> pick(int perKind) {
    List<Candidate> scored =
        candidates.stream().filter(c -> c.anomalous() && !Double.isNaN(c.iou())).toList();
    Comparator<Candidate> byIou =
        Comparator.comparingDouble(Candidate::iou).thenComparing(Candidate::id);
    List<Pick> picks = new ArrayList<>();
    scored.stream().sorted(byIou).limit(perKind).forEach(c -> picks.add(new Pick("worst", c)));
    scored.stream()
        .sorted(byIou.reversed())
        .limit(perKind)
        .filter(c -> picks.stream().noneMatch(p -> p.candidate().id().equals(c.id())))
        .forEach(c -> picks.add(new Pick("best", c)));
    candidates.stream()
        .filter(c -> !c.anomalous() && c.predictedAnomalous())
        .sorted(Comparator.comparingDouble(Candidate::imageScore).reversed()
            .thenComparing(Candidate::id))
        .limit(perKind)
        .forEach(c -> picks.add(new Pick("false_positive", c)));
    return picks;
  }
}
