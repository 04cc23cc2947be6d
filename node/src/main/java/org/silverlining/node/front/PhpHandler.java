package org.silverlining.node.front;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.silverlining.core.AppConfig;
import org.silverlining.node.fastcgi.CgiParams;
import org.silverlining.node.fastcgi.FastCgiClient;
import org.silverlining.node.logs.AppLog;
import org.silverlining.node.process.InstanceProcesses;
import org.silverlining.node.runtime.AppRuntimes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers requests for PHP instances through their php-fpm pool over FastCGI ({@link
 * FastCgiClient}); requests for any other instance go on. The exchange blocks the request's thread
 * (php-fpm answers one request per connection). What PHP writes to FastCGI's stderr during a
 * request ({@code error_log()}, warnings) goes to the app's log, tagged with the instance.
 */
public final class PhpHandler extends Handler.Abstract {
  static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final Logger log = LoggerFactory.getLogger(PhpHandler.class);
  private final Function<String, AppLog> appLogs;

  /** {@code appLogs}: the log of an app by its name (the supervisor's). */
  public PhpHandler(Function<String, AppLog> appLogs) {
    this.appLogs = appLogs;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (!(request.getAttribute(LiveInstance.ATTRIBUTE) instanceof LiveInstance live)
        || live.processes() == null
        || AppRuntimes.of(live.processes().config().runtime()).speaksHttp()) {
      return false;
    }
    InstanceProcesses processes = live.processes();
    RouteMatch match = (RouteMatch) request.getAttribute(RouteMatch.ATTRIBUTE);
    processes.acquire();
    try {
      exchange(request, response, processes, match.prefix());
      callback.succeeded();
    } catch (Throwable e) {
      log.warn("{}: FastCGI request failed: {}", live.name(), e.toString());
      callback.failed(e);
    } finally {
      processes.release();
    }
    return true;
  }

  private void exchange(
      Request request, Response response, InstanceProcesses processes, String prefix)
      throws IOException {
    AppConfig config = processes.config();
    Path dir = processes.dir().toAbsolutePath().normalize();
    String rawPath = request.getHttpURI().getPath() == null ? "/" : request.getHttpURI().getPath();
    String path =
        !prefix.isEmpty() && rawPath.startsWith(prefix)
            ? rawPath.substring(prefix.length())
            : rawPath;
    if (path.isEmpty()) {
      path = "/";
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (HttpField f : request.getHeaders()) {
      headers.add(Map.entry(f.getName(), f.getValue()));
    }
    String host = Request.getServerName(request);
    CgiParams params =
        new CgiParams(
            dir.resolve(config.phpRoot()).normalize(),
            dir.resolve(config.runner()).normalize(),
            request.getMethod(),
            prefix,
            path,
            request.getHttpURI().getQuery(),
            headers,
            Request.getRemoteAddr(request),
            Request.getRemotePort(request),
            host,
            Request.getServerPort(request),
            request.isSecure());
    OutputStream[] out = {null};
    try (InputStream body = Content.Source.asInputStream(request)) {
      FastCgiClient.exchange(
          processes.pickPort(),
          params.toMap(),
          body,
          new FastCgiClient.Sink() {
            @Override
            public void head(FastCgiClient.Head head) {
              response.setStatus(head.status());
              for (Map.Entry<String, String> h : head.headers()) {
                response.getHeaders().add(h.getKey(), h.getValue());
              }
              out[0] = Content.Sink.asOutputStream(response);
            }

            @Override
            public void body(byte[] buf, int off, int len) throws IOException {
              out[0].write(buf, off, len);
            }
          },
          text -> {
            AppLog appLog = appLogs.apply(processes.app());
            text.strip().lines().forEach(line -> appLog.write(processes.instance(), line));
          },
          TIMEOUT);
    }
    if (out[0] != null) {
      out[0].close();
    }
  }
}
