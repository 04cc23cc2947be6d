package org.silverlining.node.cdn;

import java.nio.file.Files;
import java.nio.file.Path;
import org.silverlining.node.staticfiles.MediaTypes;

/**
 * The headers a pushed file is stored with, which the storage sends back to browsers: its media
 * type and far-future caching (its URL changes with every deployment). A precompressed variant
 * ({@code NAME.gz} or {@code NAME.br} beside {@code NAME}) is stored as {@code NAME}'s type with
 * its {@code Content-Encoding}, so a CDN or page that asks for it by name gets it decoded.
 *
 * @param contentEncoding {@code gzip}, {@code br}, or {@code null} for a file as it is
 */
public record ObjectHeaders(String contentType, String contentEncoding) {
  /** As the node sends files below {@code $STATIC_URL}. */
  public static final String CACHE_CONTROL = "public, max-age=31536000, immutable";

  /** The headers of {@code file}, a regular file of a {@code static/} folder. */
  public static ObjectHeaders of(Path file) {
    String name = file.getFileName().toString();
    for (String[] e : new String[][] {{".gz", "gzip"}, {".br", "br"}}) {
      if (name.endsWith(e[0]) && name.length() > e[0].length()) {
        String original = name.substring(0, name.length() - e[0].length());
        if (Files.isRegularFile(file.resolveSibling(original))) {
          return new ObjectHeaders(MediaTypes.of(original), e[1]);
        }
      }
    }
    return new ObjectHeaders(MediaTypes.of(name), null);
  }
}
