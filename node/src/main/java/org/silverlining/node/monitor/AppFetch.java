package org.silverlining.node.monitor;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A GET to one of an instance's processes on its private port, marked {@code X-Silver-Internal:
 * ping}: the one place the monitor talks to apps.
 */
final class AppFetch {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** The status of {@code GET path} on {@code port}, or a sentence saying why there is none. */
  Result get(int port, String path, Duration timeout) {
    try {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(timeout)
                  .header("X-Silver-Internal", "ping")
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return new Result(r.statusCode(), "answered " + r.statusCode());
    } catch (IOException e) {
      return new Result(0, "no answer: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(0, "interrupted");
    }
  }

  /** A status (0 when none came) and what happened, in words. */
  record Result(int status, String detail) {
    boolean ok() {
      return status >= 200 && status < 400;
    }
  }
}
