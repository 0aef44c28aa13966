package org.flawmap.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.flawmap.image.ImageDecoder;
import org.flawmap.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reference counting across reloads: an old model closes only after its last request. */
class ModelHolderTest {

  @TempDir Path tmp;

  @Test
  void oldModelClosesAfterLastRequest() throws Exception {
    TestModels.Fixture fixture = TestModels.fixture();
    RgbImage image = ImageDecoder.decode(ServiceFixture.testImages(fixture.dataset()).get(0));
    try (ModelHolder holder = new ModelHolder(1)) {
      assertNull(holder.acquire());
      assertFalse(holder.ready());
      holder.reload(fixture.model());
      LoadedModel first = holder.acquire();
      double score = first.inspect(image).imageScore();

      holder.reload(fixture.model());
      assertFalse(first.closed(), "closed while a request still held it");
      assertEquals(score, first.inspect(image).imageScore());
      LoadedModel second = holder.acquire();
      assertNotSame(first, second);
      assertEquals(2, second.identity().generation());

      first.release();
      assertTrue(first.closed());
      assertThrows(IllegalStateException.class, () -> first.inspect(image));
      second.release();
      assertFalse(second.closed(), "the current model closed after its request");
    }
  }

  @Test
  void failedReloadKeepsCurrentModel() throws Exception {
    TestModels.Fixture fixture = TestModels.fixture();
    Path missing = tmp.resolve("missing.flawmap");
    try (ModelHolder holder = new ModelHolder(1)) {
      holder.reload(fixture.model());
      assertThrows(Exception.class, () -> holder.reload(missing));
      LoadedModel model = holder.acquire();
      assertEquals(1, model.identity().generation());
      assertFalse(model.closed());
      model.release();
      Files.writeString(missing, "garbage");
      assertThrows(Exception.class, () -> holder.reload(missing));
      assertTrue(holder.ready());
    }
  }
}
