package org.silverlining.node.fastcgi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.silverlining.core.AppConfig;

/** The node's own request to a PHP instance (an {@code update_fetch}), over FastCGI. */
public final class FastCgiFetch {
  private FastCgiFetch() {}

  /** A status and the answer's text (its end, past {@code keepBytes}). */
  public record Result(int status, String body) {}

  /** {@code method url} to the php-fpm pool on {@code port} of the instance in {@code dir}. */
  public static Result send(
      int port,
      Path dir,
      AppConfig config,
      String method,
      String url,
      Map<String, String> headers,
      Duration timeout,
      int keepBytes)
      throws IOException {
    Path root = dir.toAbsolutePath().normalize();
    int q = url.indexOf('?');
    CgiParams params =
        new CgiParams(
            root.resolve(config.phpRoot()).normalize(),
            root.resolve(config.runner()).normalize(),
            method,
            "",
            q < 0 ? url : url.substring(0, q),
            q < 0 ? null : url.substring(q + 1),
            List.copyOf(headers.entrySet()),
            "127.0.0.1",
            0,
            "127.0.0.1",
            port,
            false);
    int[] status = {200};
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    FastCgiClient.exchange(
        port,
        params.toMap(),
        null,
        new FastCgiClient.Sink() {
          @Override
          public void head(FastCgiClient.Head head) {
            status[0] = head.status();
          }

          @Override
          public void body(byte[] buf, int off, int len) {
            body.write(buf, off, len);
            if (body.size() > 2 * keepBytes) {
              byte[] all = body.toByteArray();
              body.reset();
              body.write(all, all.length - keepBytes, keepBytes);
            }
          }
        },
        text -> body.writeBytes(text.getBytes(StandardCharsets.UTF_8)),
        timeout);
    return new Result(status[0], body.toString(StandardCharsets.UTF_8));
  }
}
