package org.silverlining.node.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.silverlining.node.front.LiveInstance;

/**
 * {@code logs/access.log}: one line per request — time, client, host, request line, status, bytes,
 * milliseconds, and the instance that answered ({@code -} when the front answered itself).
 */
public final class AccessLog implements RequestLog {
  private final java.io.Writer out;

  public AccessLog(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    out =
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Override
  public void log(Request request, Response response) {
    Object live = request.getAttribute(LiveInstance.ATTRIBUTE);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - request.getBeginNanoTime());
    String line =
        Instant.now().truncatedTo(ChronoUnit.MILLIS)
            + " "
            + Request.getRemoteAddr(request)
            + " "
            + Request.getServerName(request)
            + " \""
            + request.getMethod()
            + " "
            + request.getHttpURI().getPathQuery()
            + " "
            + request.getConnectionMetaData().getProtocol()
            + "\" "
            + response.getStatus()
            + " "
            + Response.getContentBytesWritten(response)
            + " "
            + millis
            + "ms "
            + (live instanceof LiveInstance l ? l.name() : "-")
            + "\n";
    synchronized (this) {
      try {
        out.write(line);
        out.flush();
      } catch (IOException e) {
        // a full disk must not stop the front; the line is lost
      }
    }
  }
}
