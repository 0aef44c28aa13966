package org.flawmap.dataset;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The problems a reader finds while listing a dataset. Readers collect every problem before
 * failing, so that one run reports, for example, every image without a mask rather than only
 * the first.
 */
final class LayoutProblems {

  private final Path root;
  private final String layout;
  private final List<String> problems = new ArrayList<>();

  LayoutProblems(Path root, String layout) {
    this.root = root;
    this.layout = layout;
  }

  void add(String problem) {
    problems.add(problem);
  }

  boolean isEmpty() {
    return problems.isEmpty();
  }

  /** Throws a {@link DatasetException} that lists every problem, one per line. */
  void throwIfAny() {
    if (problems.isEmpty()) {
      return;
    }
    StringBuilder message = new StringBuilder();
    message.append("invalid ").append(layout).append(" dataset at ").append(root).append(": ");
    message.append(problems.size()).append(problems.size() == 1 ? " problem" : " problems");
    for (String problem : problems) {
      message.append("\n  - ").append(problem);
    }
    throw new DatasetException(message.toString());
  }
}
