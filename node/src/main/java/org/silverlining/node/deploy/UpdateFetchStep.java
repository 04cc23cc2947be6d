package org.silverlining.node.deploy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Fetches each {@code update_fetch} URL from the new instance before it goes live, as an internal
 * request ({@code X-Silver-Internal: update}); anything but a 2xx answer fails the deployment.
 */
final class UpdateFetchStep implements DeployStep {
  static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final int BODY_TAIL_LINES = 20;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Override
  public String name() {
    return "update_fetch";
  }

  @Override
  public String run(Deployment d) throws Exception {
    List<String> urls = d.config.updateFetch();
    if (urls.isEmpty() || d.live.processes() == null) {
      return "none";
    }
    int port = d.live.processes().processes().get(0).port();
    for (String url : urls) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + url))
                  .timeout(TIMEOUT)
                  .header("X-Silver-Internal", "update")
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        List<String> lines = Arrays.asList(r.body().split("\n"));
        throw new DeployFailedException(
            name(),
            url + " answered " + r.statusCode(),
            lines.subList(Math.max(0, lines.size() - BODY_TAIL_LINES), lines.size()));
      }
    }
    return String.join(", ", urls);
  }
}
