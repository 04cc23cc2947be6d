package org.silverlining.node.middleware;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code errors}: the 5xx answers from behind the chain — the app's, and the front's when the app's
 * process cannot be reached or started — are replaced by a page, with the same status; the front
 * records what was replaced as an error report. For status S the page is the first of: the pack's
 * {@code page.S}, the app's {@code errors/S.html}, the pack's {@code page.5xx}, the app's {@code
 * errors/5xx.html}, a plain page of the node's. The most specific page wins; between two as
 * specific, the pack's, which was set for this location.
 */
final class ErrorsPack implements Pack {
  static final String NAME = "errors";

  /** The largest page a setting may hold, and the largest file of {@code errors/} read. */
  static final int MAX_PAGE_BYTES = 256 * 1024;

  /** App pages remembered at most (deployments do not change, so neither do their files). */
  static final int MAX_CACHED = 512;

  private static final PackInfo INFO =
      PackInfo.builtIn(
          NAME,
          "the app's 5xx answers and unreachable upstreams answered with a page (the pack's, or"
              + " the app's errors/500.html, errors/5xx.html); the original kept as an error"
              + " report",
          new Setting(
              "page.",
              "page.500, page.502 ... or page.5xx: an HTML file (read by silver) for that status",
              true));

  @Override
  public PackInfo info() {
    return INFO;
  }

  @Override
  public Map<String, String> store(Map<String, String> given) {
    Map<String, String> stored = new LinkedHashMap<>();
    given.forEach(
        (key, value) -> {
          String status = key.substring("page.".length());
          if (!status.matches("5(\\d\\d|xx)")) {
            throw PackSettings.refused(
                this, key, key + ": a page is for a status 500 to 599 or 5xx (page.502, page.5xx)");
          }
          if (value.isBlank()) {
            throw PackSettings.refused(this, key, key + ": the page is empty");
          }
          if (value.getBytes(StandardCharsets.UTF_8).length > MAX_PAGE_BYTES) {
            throw PackSettings.refused(
                this, key, key + ": the page is larger than " + MAX_PAGE_BYTES / 1024 + " KiB");
          }
          stored.put("page." + status, value);
        });
    return stored;
  }

  @Override
  public Middleware build(Map<String, String> stored) {
    Map<String, byte[]> pages = new LinkedHashMap<>();
    stored.forEach(
        (key, value) ->
            pages.put(key.substring("page.".length()), value.getBytes(StandardCharsets.UTF_8)));
    return new Catcher(pages);
  }

  /** Passes every request; its pages are asked for once an answer behind it is a 5xx. */
  static final class Catcher implements Middleware, ErrorPages {
    private final Map<String, byte[]> own;
    private final Map<Path, Optional<byte[]>> appPages = new ConcurrentHashMap<>();

    Catcher(Map<String, byte[]> own) {
      this.own = Map.copyOf(own);
    }

    @Override
    public Decision decide(RequestView request) {
      return Decision.PASS;
    }

    @Override
    public Decision.Answer page(int status, Path appDir) {
      String exact = Integer.toString(status);
      byte[] body =
          first(own.get(exact), appPage(appDir, exact))
              .or(() -> first(own.get("5xx"), appPage(appDir, "5xx")))
              .orElseGet(() -> plain(status));
      return new Decision.Answer(
          status,
          List.of(
              new Header("Content-Type", "text/html; charset=utf-8"),
              new Header("Cache-Control", "no-store")),
          body,
          null);
    }

    private static Optional<byte[]> first(byte[] pack, Optional<byte[]> app) {
      return pack != null ? Optional.of(pack) : app;
    }

    /** {@code errors/NAME.html} of the deployment, read once; empty when it has none. */
    private Optional<byte[]> appPage(Path appDir, String name) {
      if (appDir == null) {
        return Optional.empty();
      }
      Path file = appDir.resolve("errors").resolve(name + ".html");
      Optional<byte[]> known = appPages.get(file);
      if (known != null) {
        return known;
      }
      Optional<byte[]> read = read(file);
      if (appPages.size() >= MAX_CACHED) {
        appPages.clear();
      }
      appPages.put(file, read);
      return read;
    }

    private static Optional<byte[]> read(Path file) {
      try {
        if (Files.isRegularFile(file) && Files.size(file) <= MAX_PAGE_BYTES) {
          return Optional.of(Files.readAllBytes(file));
        }
      } catch (IOException e) {
        // Unreadable: as if it were not there; the next page in the order answers.
      }
      return Optional.empty();
    }

    private static byte[] plain(int status) {
      return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Error "
              + status
              + "</title></head>\n<body><h1>Sorry, something went wrong</h1>"
              + "<p>The site could not answer this request (error "
              + status
              + "). It has been recorded; please try again later.</p></body></html>\n")
          .getBytes(StandardCharsets.UTF_8);
    }
  }
}
