package org.flawmap.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileFolderTest {

  @Test
  void readRejectsFolderWithAdvice(@TempDir Path dir) {
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.read(dir));

    assertEquals(
        "model file " + dir + " is a folder, not a model file; name the .flawmap file",
        e.getMessage());
  }
}
