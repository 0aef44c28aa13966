package org.flawmap.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.flawmap.model.io.ModelFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings and model paths that {@link InspectionServer#start} rejects before listening. */
class InspectionServerStartTest {

  @TempDir Path tmp;

  private static InspectionServer.Settings settings(String host) {
    return new InspectionServer.Settings(host, 0, ServiceLimits.DEFAULTS, false, 1);
  }

  @Test
  void invalidHostAddressRejected() {
    for (String host : new String[] {"999.1.1.1", "1.2.3.256", "1.2.3.0004"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> InspectionServer.checkHost(host));
      assertTrue(e.getMessage().startsWith("invalid host address " + host), e.getMessage());
    }
  }

  @Test
  void validHostAddressAccepted() {
    InspectionServer.checkHost("127.0.0.1");
    InspectionServer.checkHost("0.0.0.0");
    InspectionServer.checkHost("::1");
  }

  @Test
  void invalidHostRejectedBeforeModelLoads() {
    // The model path does not exist: the host error must come first.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> InspectionServer.start(tmp.resolve("none.flawmap"), settings("999.1.1.1")));
    assertEquals("invalid host address 999.1.1.1", e.getMessage().split(" \\(")[0]);
  }

  @Test
  void folderAsModelRejected() {
    ModelFileException e = assertThrows(ModelFileException.class,
        () -> InspectionServer.start(tmp, settings("127.0.0.1")));
    assertTrue(e.getMessage().startsWith("model file " + tmp + " is a folder, not a model file"),
        e.getMessage());
  }

  @Test
  void missingModelSaysNotFound() {
    Path missing = tmp.resolve("none.flawmap");
    ModelFileException e = assertThrows(ModelFileException.class,
        () -> InspectionServer.start(missing, settings("127.0.0.1")));
    assertTrue(e.getMessage().startsWith("model file " + missing + " not found"),
        e.getMessage());
  }
}
