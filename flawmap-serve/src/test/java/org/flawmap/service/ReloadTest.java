package org.flawmap.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reload over HTTP under load, a failed reload, and the metrics that count both. */
class ReloadTest {

  @TempDir static Path tmp;
  static TestModels.Fixture fixture;
  static InspectionServer server;
  static TestClient client;
  static byte[] png;

  @BeforeAll
  static void start() throws Exception {
    fixture = TestModels.fixture();
    png = Files.readAllBytes(ServiceFixture.testImages(fixture.dataset()).get(0));
    server = ServiceFixture.start(
        fixture.model(), ServiceLimits.DEFAULTS.withMaxConcurrent(8), true);
    client = new TestClient(server.uri());
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void reloadUnderLoadDropsNoRequest() throws Exception {
    Path copy = tmp.resolve("copy.flawmap");
    Files.copy(fixture.model(), copy, StandardCopyOption.REPLACE_EXISTING);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger succeeded = new AtomicInteger();
    List<String> failures = new CopyOnWriteArrayList<>();
    Set<Integer> generations = ConcurrentHashMap.newKeySet();
    ExecutorService clients = Executors.newFixedThreadPool(3);
    List<Future<?>> loops = new java.util.ArrayList<>();
    for (int t = 0; t < 3; t++) {
      loops.add(clients.submit(() -> {
        while (running.get()) {
          try {
            TestClient.Reply reply = client.post("/v1/inspect", "image/png", png);
            if (reply.status() == 200) {
              succeeded.incrementAndGet();
              generations.add(reply.json().path("model").path("generation").asInt());
            } else {
              failures.add(reply.status() + " " + reply.body());
            }
          } catch (Exception e) {
            failures.add(e.toString());
          }
        }
        return null;
      }));
    }

    int before = generation();
    for (int i = 0; i < 3; i++) {
      Thread.sleep(300);
      String path = i % 2 == 0 ? copy.toString() : fixture.model().toString();
      TestClient.Reply reload = client.post("/v1/admin/reload", "application/json",
          ("{\"path\": \"" + path + "\"}").getBytes(StandardCharsets.UTF_8));
      assertEquals(200, reload.status(), reload.body());
    }
    Thread.sleep(300);
    running.set(false);
    for (Future<?> loop : loops) {
      loop.get(30, TimeUnit.SECONDS);
    }
    clients.shutdown();

    assertEquals(List.of(), failures);
    assertTrue(succeeded.get() >= 6, "only " + succeeded.get() + " requests ran");
    assertEquals(before + 3, generation());
    assertTrue(generations.size() >= 2, "requests saw generations " + generations);
  }

  @Test
  void badModelFileKeepsOldModelServing() throws Exception {
    Path bad = tmp.resolve("bad.flawmap");
    Files.writeString(bad, "not a zip archive");
    int before = generation();

    TestClient.Reply reload = client.post("/v1/admin/reload", "application/json",
        ("{\"path\": \"" + bad + "\"}").getBytes(StandardCharsets.UTF_8));

    BadInputTest.assertError(reload, 422, "reload_failed");
    assertTrue(reload.json().get("message").asText().contains(bad.toString()), reload.body());
    assertEquals(before, generation());
    TestClient.Reply inspect = client.post("/v1/inspect", "image/png", png);
    assertEquals(200, inspect.status(), inspect.body());
    assertEquals(before, inspect.json().path("model").path("generation").asInt());
    String metrics = client.get("/metrics").body();
    assertTrue(metrics.contains("flawmap_serve_model_reloads_total{result=\"failure\"}"),
        metrics);
  }

  @Test
  void emptyBodyReloadsSameFile() throws Exception {
    int before = generation();
    TestClient.Reply reload = client.post("/v1/admin/reload", "application/json", new byte[0]);
    assertEquals(200, reload.status(), reload.body());
    assertEquals(before + 1, reload.json().path("model").path("generation").asInt());
  }

  @Test
  void emptyObjectReloadsSameFile() throws Exception {
    int before = generation();
    TestClient.Reply reload = client.post("/v1/admin/reload", "application/json",
        "{}".getBytes(StandardCharsets.UTF_8));
    assertEquals(200, reload.status(), reload.body());
    assertEquals(before + 1, reload.json().path("model").path("generation").asInt());
  }

  @Test
  void bodyWithoutUsablePathRejected() throws Exception {
    int before = generation();
    for (String body : List.of(
        "{\"pth\": \"/x\"}", "[1]", "\"/x\"", "{\"path\": 5}", "{\"path\": null}",
        "{\"path\": \"\"}", "{\"path\": \"/x\", \"force\": true}")) {
      TestClient.Reply reload = client.post("/v1/admin/reload", "application/json",
          body.getBytes(StandardCharsets.UTF_8));
      BadInputTest.assertError(reload, 400, "invalid_request");
    }
    assertEquals(before, generation());
  }

  @Test
  void missingFileSaysNotFound() throws Exception {
    Path missing = tmp.resolve("none.flawmap");
    TestClient.Reply reload = client.post("/v1/admin/reload", "application/json",
        ("{\"path\": \"" + missing + "\"}").getBytes(StandardCharsets.UTF_8));

    BadInputTest.assertError(reload, 422, "reload_failed");
    String message = reload.json().get("message").asText();
    assertTrue(message.startsWith("model file " + missing + " not found"), message);
  }

  @Test
  void relativePathResolvesAgainstWorkingFolder() throws Exception {
    TestClient.Reply reload = client.post("/v1/admin/reload", "application/json",
        "{\"path\": \"no-such-model.flawmap\"}".getBytes(StandardCharsets.UTF_8));

    BadInputTest.assertError(reload, 422, "reload_failed");
    Path absolute = Path.of("no-such-model.flawmap").toAbsolutePath();
    String message = reload.json().get("message").asText();
    assertTrue(message.startsWith("model file " + absolute + " not found"), message);
  }

  @Test
  void folderSaysFolder() throws Exception {
    TestClient.Reply reload = client.post("/v1/admin/reload", "application/json",
        ("{\"path\": \"" + tmp + "\"}").getBytes(StandardCharsets.UTF_8));

    BadInputTest.assertError(reload, 422, "reload_failed");
    String message = reload.json().get("message").asText();
    assertTrue(message.startsWith("model file " + tmp + " is a folder, not a model file"),
        message);
  }

  @Test
  void metricsTextHasCounters() throws Exception {
    client.post("/v1/inspect", "image/png", png);
    client.post("/v1/inspect", "image/png", "junk".getBytes(StandardCharsets.US_ASCII));
    TestClient.Reply reply = client.get("/metrics");

    assertEquals(200, reply.status());
    assertTrue(reply.header("Content-Type").startsWith("text/plain"), reply.headers().toString());
    String text = reply.body();
    for (String expected : List.of(
        "flawmap_serve_requests_total{endpoint=\"/v1/inspect\",status=\"200\"}",
        "flawmap_serve_requests_total{endpoint=\"/v1/inspect\",status=\"400\"}",
        "flawmap_serve_request_duration_seconds_bucket{endpoint=\"/v1/inspect\",le=\"0.1\"}",
        "flawmap_serve_errors_total{kind=\"not_an_image\"}",
        "flawmap_serve_in_flight_requests",
        "flawmap_serve_images_inspected_total",
        "flawmap_serve_jvm_heap_used_bytes",
        "flawmap_serve_process_resident_bytes")) {
      assertTrue(text.contains(expected), "metrics lack " + expected + ":\n" + text);
    }
  }

  private static int generation() throws Exception {
    return client.get("/v1/model").json().get("generation").asInt();
  }
}
