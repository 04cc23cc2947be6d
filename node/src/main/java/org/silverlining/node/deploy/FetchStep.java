package org.silverlining.node.deploy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.silverlining.core.AppConfig;
import org.silverlining.node.apphttp.AppHttpClient;
import org.silverlining.node.apphttp.AppRequest;
import org.silverlining.node.apphttp.AppResponse;
import org.silverlining.node.fastcgi.FastCgiFetch;
import org.silverlining.node.runtime.AppRuntimes;

/**
 * Requests each of the app's paths for one stage ({@code update_fetch}, {@code migrate_fetch},
 * {@code test_fetch}) from the new instance on its private port, before it goes live, as an
 * internal request ({@code X-Silver-Internal: KIND}); anything but a 2xx answer fails the
 * deployment with the answer's last lines.
 */
final class FetchStep implements DeployStep {
  static final Duration TIMEOUT = Duration.ofMinutes(5);
  static final int BODY_TAIL_LINES = 20;
  static final int BODY_TAIL_BYTES = 64 * 1024;

  /** A fetch opens a connection of its own: fetches are a few per update. */
  private static final AppHttpClient HTTP = new AppHttpClient(Duration.ofSeconds(5), Duration.ZERO);

  private final String name;
  private final Function<AppConfig, String> method;
  private final String internal;
  private final Function<AppConfig, List<String>> paths;

  /** Runs once per nodeset update, on its first app server: it changes shared data. */
  private final boolean oncePerNodeset;

  private FetchStep(
      String name,
      Function<AppConfig, String> method,
      String internal,
      Function<AppConfig, List<String>> paths,
      boolean oncePerNodeset) {
    this.name = name;
    this.method = method;
    this.internal = internal;
    this.paths = paths;
    this.oncePerNodeset = oncePerNodeset;
  }

  /**
   * {@code update_fetch}: {@code X-Silver-Internal: update}, with the method of the app's runtime:
   * POST, or GET for the original Silver Lining's python and php platforms.
   */
  static FetchStep update() {
    return new FetchStep(
        "update_fetch",
        c -> c.processCount() == 0 ? "POST" : AppRuntimes.of(c.runtime()).updateFetchMethod(),
        "update",
        AppConfig::updateFetch,
        true);
  }

  /** {@code migrate_fetch}: POST, {@code X-Silver-Internal: migrate}. */
  static FetchStep migrate() {
    return new FetchStep("migrate_fetch", c -> "POST", "migrate", AppConfig::migrateFetch, true);
  }

  /** {@code test_fetch}: GET (a check changes nothing), {@code X-Silver-Internal: test}. */
  static FetchStep test() {
    return new FetchStep("test_fetch", c -> "GET", "test", AppConfig::testFetch, false);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String run(Deployment d) throws Exception {
    List<String> urls = paths.apply(d.config);
    if (urls.isEmpty()) {
      return "none";
    }
    if (oncePerNodeset && d.hold != null && d.hold.skipFetches()) {
      return "left to the nodeset's first app server";
    }
    if (d.live.processes() == null) {
      return "skipped: a static app has no process to ask";
    }
    int port = d.live.processes().processes().get(0).port();
    boolean fastCgi = !AppRuntimes.of(d.config.runtime()).speaksHttp();
    for (String url : urls) {
      if (fastCgi) {
        FastCgiFetch.Result r =
            FastCgiFetch.send(
                port,
                d.instanceDir,
                d.config,
                method.apply(d.config),
                url,
                Map.of("X-Silver-Internal", internal),
                TIMEOUT,
                BODY_TAIL_BYTES);
        if (r.status() / 100 != 2) {
          throw new DeployFailedException(
              name, url + " answered " + r.status(), tail(r.body(), BODY_TAIL_LINES));
        }
        continue;
      }
      AppResponse r =
          HTTP.send(
              AppRequest.of(port, method.apply(d.config), url, TIMEOUT)
                  .withHeader("X-Silver-Internal", internal)
                  .keepingBody(BODY_TAIL_BYTES));
      if (!r.ok()) {
        throw new DeployFailedException(
            name, url + " answered " + r.status(), tail(r.bodyText(), BODY_TAIL_LINES));
      }
    }
    return String.join(", ", urls);
  }

  /** The last {@code n} lines of {@code text}. */
  static List<String> tail(String text, int n) {
    if (text.isBlank()) {
      return List.of();
    }
    List<String> lines = Arrays.asList(text.strip().split("\n"));
    return lines.subList(Math.max(0, lines.size() - n), lines.size());
  }
}
