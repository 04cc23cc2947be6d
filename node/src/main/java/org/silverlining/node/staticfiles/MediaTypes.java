package org.silverlining.node.staticfiles;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Media types of the files a web app serves, by file name extension, and which ones compress. */
public final class MediaTypes {
  private static final String DEFAULT = "application/octet-stream";

  private static final Map<String, String> BY_EXTENSION =
      Map.ofEntries(
          Map.entry("html", "text/html"),
          Map.entry("htm", "text/html"),
          Map.entry("css", "text/css"),
          Map.entry("js", "text/javascript"),
          Map.entry("mjs", "text/javascript"),
          Map.entry("json", "application/json"),
          Map.entry("map", "application/json"),
          Map.entry("webmanifest", "application/manifest+json"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("xml", "application/xml"),
          Map.entry("txt", "text/plain"),
          Map.entry("md", "text/markdown"),
          Map.entry("csv", "text/csv"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("webp", "image/webp"),
          Map.entry("avif", "image/avif"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("woff", "font/woff"),
          Map.entry("woff2", "font/woff2"),
          Map.entry("ttf", "font/ttf"),
          Map.entry("otf", "font/otf"),
          Map.entry("wasm", "application/wasm"),
          Map.entry("pdf", "application/pdf"),
          Map.entry("zip", "application/zip"),
          Map.entry("gz", "application/gzip"),
          Map.entry("br", "application/octet-stream"),
          Map.entry("mp4", "video/mp4"),
          Map.entry("webm", "video/webm"),
          Map.entry("mp3", "audio/mpeg"),
          Map.entry("ogg", "audio/ogg"),
          Map.entry("wav", "audio/wav"));

  /** Text types worth compressing: HTML, CSS, JavaScript, JSON, SVG and other text. */
  private static final Set<String> COMPRESSIBLE =
      Set.of(
          "text/html",
          "text/css",
          "text/javascript",
          "application/javascript",
          "application/json",
          "application/manifest+json",
          "application/ld+json",
          "image/svg+xml",
          "application/xml",
          "text/xml",
          "text/plain",
          "text/markdown",
          "text/csv");

  private MediaTypes() {}

  /** The media type of a file named {@code name}; {@code application/octet-stream} if unknown. */
  public static String of(String name) {
    int dot = name.lastIndexOf('.');
    if (dot < 0 || dot < name.lastIndexOf('/')) {
      return DEFAULT;
    }
    return BY_EXTENSION.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), DEFAULT);
  }

  /** The media types worth compressing, without parameters. */
  public static Set<String> compressible() {
    return COMPRESSIBLE;
  }

  /** Whether answers of {@code mediaType} (parameters allowed) are worth compressing. */
  public static boolean isCompressible(String mediaType) {
    if (mediaType == null) {
      return false;
    }
    int semi = mediaType.indexOf(';');
    String bare = (semi < 0 ? mediaType : mediaType.substring(0, semi)).strip();
    return COMPRESSIBLE.contains(bare.toLowerCase(Locale.ROOT));
  }
}
