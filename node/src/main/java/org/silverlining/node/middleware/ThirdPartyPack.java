package org.silverlining.node.middleware;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A pack in any language: a folder with {@code middleware.ini} whose {@code runner} serves HTTP on
 * {@code $PORT}. The node runs it (one process, restarted when it exits) and asks it about each
 * request as {@code auth-request} asks its URL, at the request's own path: a 2xx answer passes, any
 * other goes back to the client. While it does not answer, requests get 503.
 */
public final class ThirdPartyPack implements Pack {
  /** Starts a pack's program and stops it again. */
  public interface Runner {
    /** Starts {@code command} in {@code dir} and returns once it listens on the port it gave. */
    Running start(String name, Path dir, String command);
  }

  /** A pack's program, started. */
  public interface Running extends AutoCloseable {
    int port();

    @Override
    void close();
  }

  private final PackManifest manifest;
  private final Path dir;
  private final Runner runner;

  ThirdPartyPack(PackManifest manifest, Path dir, Runner runner) {
    this.manifest = manifest;
    this.dir = dir;
    this.runner = runner;
  }

  @Override
  public PackInfo info() {
    return new PackInfo(manifest.name(), manifest.version(), manifest.description(), List.of());
  }

  /** A third-party pack takes no settings: {@link #prepare} refused any. */
  @Override
  public Map<String, String> store(Map<String, String> given) {
    return Map.of();
  }

  @Override
  public Middleware build(Map<String, String> stored) {
    Running running = runner.start(manifest.name(), dir, manifest.runner());
    String base = "http://127.0.0.1:" + running.port();
    Subrequest ask =
        new Subrequest(manifest.name() + " pack", r -> URI.create(base + r.target()), List.of());
    return new Middleware() {
      @Override
      public Decision decide(RequestView request) {
        return ask.decide(request);
      }

      @Override
      public boolean mayWait(RequestView request) {
        return true;
      }

      @Override
      public void close() {
        running.close();
      }
    };
  }
}
