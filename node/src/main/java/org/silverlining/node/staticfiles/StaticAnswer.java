package org.silverlining.node.staticfiles;

import java.nio.file.Path;
import java.util.List;

/**
 * The answer {@link StaticResolver} decided on; the server writes the status and the headers in
 * this order, then {@code length} bytes of {@code file} from {@code offset} (none for {@code
 * HEAD}).
 *
 * @param status 200, 206 (a range), 304 (not modified), 404 (a versioned URL with no such file: the
 *     server's own not-found page) or 416 (a range outside the file)
 * @param file the file to send (a precompressed one when {@code Content-Encoding} says so), or
 *     {@code null} when there is no body (304, 404, 416)
 * @param headers every header of the answer, {@code Content-Length} included
 */
public record StaticAnswer(int status, Path file, long offset, long length, List<Header> headers) {

  /** One response header. */
  public record Header(String name, String value) {}

  /** The value of header {@code name} (exact spelling as written), or {@code null}. */
  public String header(String name) {
    for (Header h : headers) {
      if (h.name().equalsIgnoreCase(name)) {
        return h.value();
      }
    }
    return null;
  }

  static StaticAnswer notFound() {
    return new StaticAnswer(404, null, 0, 0, List.of());
  }
}
