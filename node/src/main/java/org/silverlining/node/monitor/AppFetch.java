package org.silverlining.node.monitor;

import java.io.IOException;
import java.time.Duration;
import org.silverlining.node.apphttp.AppHttpClient;
import org.silverlining.node.apphttp.AppRequest;

/**
 * A GET to one of an instance's processes on its private port, marked {@code X-Silver-Internal:
 * ping}: the one place the monitor talks to apps, through the node's one client for app processes.
 */
final class AppFetch {
  private final AppHttpClient http = new AppHttpClient(Duration.ofSeconds(2), Duration.ZERO);

  /** The status of {@code GET path} on {@code port}, or a sentence saying why there is none. */
  Result get(int port, String path, Duration timeout) {
    try {
      int status =
          http.send(
                  AppRequest.of(port, "GET", path, timeout).withHeader("X-Silver-Internal", "ping"))
              .status();
      return new Result(status, "answered " + status);
    } catch (IOException e) {
      return new Result(0, "no answer: " + e);
    }
  }

  /** A status (0 when none came) and what happened, in words. */
  record Result(int status, String detail) {
    boolean ok() {
      return status >= 200 && status < 400;
    }
  }
}
