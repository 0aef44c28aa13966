package org.flawmap.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The concurrency limit and the request timeout. */
class LimitsTest {

  static InspectionServer server;
  static TestClient client;
  static byte[] png;

  @BeforeAll
  static void start() throws Exception {
    TestModels.Fixture fixture = TestModels.fixture();
    png = Files.readAllBytes(ServiceFixture.testImages(fixture.dataset()).get(0));
    ServiceLimits limits =
        ServiceLimits.DEFAULTS.withMaxConcurrent(1).withRequestTimeout(Duration.ofSeconds(2));
    server = ServiceFixture.start(fixture.model(), limits, false);
    client = new TestClient(server.uri());
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /**
   * A request whose body is still uploading takes the only inspection slot, so a second one
   * gets 503 with Retry-After; once the first finishes, requests succeed again.
   */
  @Test
  void requestOverLimitGets503() throws Exception {
    try (Socket slow = client.socket()) {
      OutputStream out = slow.getOutputStream();
      out.write(head(png.length).getBytes(StandardCharsets.US_ASCII));
      out.write(png, 0, 100);
      out.flush();
      awaitFreeSlots(0);

      TestClient.Reply rejected = client.post("/v1/inspect", "image/png", png);
      BadInputTest.assertError(rejected, 503, "overloaded");
      assertEquals("1", rejected.header("Retry-After"));

      out.write(png, 100, png.length - 100);
      out.flush();
      TestClient.Reply first = TestClient.readReply(slow.getInputStream());
      assertEquals(200, first.status(), first.body());
    }
    awaitFreeSlots(1);
    assertEquals(200, client.post("/v1/inspect", "image/png", png).status());
  }

  @Test
  void stalledUploadTimesOut() throws Exception {
    try (Socket slow = client.socket()) {
      OutputStream out = slow.getOutputStream();
      out.write(head(png.length).getBytes(StandardCharsets.US_ASCII));
      out.write(png, 0, 100);
      out.flush();
      TestClient.Reply reply = TestClient.readReply(slow.getInputStream());
      BadInputTest.assertError(reply, 408, "request_timeout");
    }
    awaitFreeSlots(1);
    assertEquals(200, client.post("/v1/inspect", "image/png", png).status());
  }

  /** Closing the server lets a request in progress finish with 200. */
  @Test
  void closeWaitsForRequestInProgress() throws Exception {
    InspectionServer own = ServiceFixture.start(
        TestModels.fixture().model(), ServiceLimits.DEFAULTS, false);
    TestClient ownClient = new TestClient(own.uri());
    try (Socket slow = ownClient.socket()) {
      OutputStream out = slow.getOutputStream();
      out.write(head(png.length).getBytes(StandardCharsets.US_ASCII));
      out.write(png, 0, 100);
      out.flush();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (ownClient.get("/readyz").json().get("free_inspection_slots").asInt() == 4) {
        assertTrue(System.nanoTime() < deadline, "the slow request never took its slot");
        Thread.sleep(20);
      }

      Thread closer = new Thread(() -> {
        try {
          own.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      closer.start();
      Thread.sleep(300);
      out.write(png, 100, png.length - 100);
      out.flush();
      TestClient.Reply reply = TestClient.readReply(slow.getInputStream());
      assertEquals(200, reply.status(), reply.body());
      closer.join(10_000);
      assertFalse(closer.isAlive(), "close() did not return");
    }
  }

  private static String head(int length) {
    return "POST /v1/inspect HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\n"
        + "Content-Length: " + length + "\r\nConnection: close\r\n\r\n";
  }

  /** Waits until /readyz reports {@code expected} free inspection slots, for up to 10 s. */
  private static void awaitFreeSlots(int expected) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    int free = -1;
    while (System.nanoTime() < deadline) {
      free = client.get("/readyz").json().get("free_inspection_slots").asInt();
      if (free == expected) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("free inspection slots stayed at " + free + ", not " + expected);
  }
}
