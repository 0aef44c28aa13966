package org.flawmap.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Uploads rejected from their headers alone: the client must get the error at once, whether it
 * sends no body or waits for {@code 100 Continue}.
 */
class RejectedUploadTest {

  static final long MAX_BODY = 1 << 20;

  /**
   * Read timeout of the test's sockets, in milliseconds: well above the drain pause of 2 s, and
   * well below the default request timeout of 30 s, after which the reply used to come.
   */
  static final int READ_TIMEOUT_MILLIS = 10_000;

  static InspectionServer server;
  static TestClient client;

  @BeforeAll
  static void start() throws Exception {
    TestModels.Fixture fixture = TestModels.fixture();
    server = ServiceFixture.start(
        fixture.model(), ServiceLimits.DEFAULTS.withMaxBodyBytes(MAX_BODY), false);
    client = new TestClient(server.uri());
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /** Sends only the headers of an upload over the limit, then reads the first response. */
  private static TestClient.Reply sendHeadersOnly(String extraHeader) throws Exception {
    // Over the limit, but by less than the limit again, so the service would drain such a body.
    String head = "POST /v1/inspect HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\n"
        + "Content-Length: " + (MAX_BODY + 1000) + "\r\n" + extraHeader + "\r\n";
    try (Socket socket = client.socket()) {
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return TestClient.readReply(socket.getInputStream());
    }
  }

  @Test
  void headersWithoutBodyGet413() throws Exception {
    TestClient.Reply reply = sendHeadersOnly("");

    BadInputTest.assertError(reply, 413, "body_too_large");
    assertEquals("close", reply.header("Connection"));
  }

  @Test
  void expectContinueGets413First() throws Exception {
    TestClient.Reply reply = sendHeadersOnly("Expect: 100-continue\r\n");

    // A "100 Continue" first would show here as status 100.
    BadInputTest.assertError(reply, 413, "body_too_large");
    assertEquals("close", reply.header("Connection"));
  }

  @Test
  void serviceAnswersAfterRejectedUploads() throws Exception {
    sendHeadersOnly("");
    sendHeadersOnly("Expect: 100-continue\r\n");

    assertEquals(200, client.get("/healthz").status());
  }
}
