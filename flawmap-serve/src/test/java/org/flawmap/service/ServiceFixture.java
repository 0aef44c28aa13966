package org.flawmap.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Starts servers on loopback port 0 and lists the fixture's test images. */
final class ServiceFixture {

  private ServiceFixture() {}

  static InspectionServer start(Path model, ServiceLimits limits, boolean allowReload)
      throws Exception {
    return InspectionServer.start(
        model, new InspectionServer.Settings("127.0.0.1", 0, limits, allowReload, 2));
  }

  /** The PNG test images of the fixture dataset, sorted. */
  static List<Path> testImages(Path dataset) throws IOException {
    try (Stream<Path> walk = Files.walk(dataset.resolve("test"))) {
      return walk.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
  }
}
