package org.silverlining.node.middleware;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks an HTTP service about each request, as nginx's {@code auth_request} does: the same method
 * with the client's headers (and {@code X-Original-URI}, {@code X-Original-Method}, {@code
 * X-Forwarded-For}), no body. A 2xx answer passes the request on, with the headers named in {@code
 * copied} taken from that answer (or removed, when it has none, so a client cannot make them up);
 * any other answer goes back to the client as it is. A service that cannot be asked fails closed:
 * 503.
 */
final class Subrequest implements Middleware {
  private static final Logger log = LoggerFactory.getLogger(Subrequest.class);

  /** The service must answer within this. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** Of a refusal's body, this much goes back to the client. */
  static final int MAX_BODY = 64 * 1024;

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(2))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  /** Headers not passed either way: the connection's own, and those the client computes. */
  private static final Set<String> NOT_PASSED =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "transfer-encoding",
          "te",
          "trailer",
          "upgrade",
          "host",
          "content-length",
          "expect",
          "http2-settings",
          "date",
          "server");

  private final String who;
  private final Function<RequestView, URI> target;
  private final List<String> copied;

  /**
   * @param who what asks, for messages ({@code "auth-request pack"})
   * @param target the address asked about a request
   * @param copied the headers of a 2xx answer passed on to the app
   */
  Subrequest(String who, Function<RequestView, URI> target, List<String> copied) {
    this.who = who;
    this.target = target;
    this.copied = List.copyOf(copied);
  }

  @Override
  public boolean mayWait(RequestView request) {
    return true;
  }

  @Override
  public Decision decide(RequestView request) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(target.apply(request))
            .timeout(TIMEOUT)
            .method(request.method(), HttpRequest.BodyPublishers.noBody());
    request.forEachHeader(
        (name, value) -> {
          if (!NOT_PASSED.contains(name.toLowerCase(Locale.ROOT))) {
            try {
              b.header(name, value);
            } catch (IllegalArgumentException e) {
              // a header the JDK's client may not send (Date, Via...): the service goes without
            }
          }
        });
    String host = request.header("Host");
    if (host != null) {
      b.setHeader("X-Forwarded-Host", host);
    }
    b.setHeader("X-Original-URI", request.target());
    b.setHeader("X-Original-Method", request.method());
    b.setHeader("X-Forwarded-For", request.clientAddress());
    HttpResponse<InputStream> answer;
    byte[] body;
    try {
      answer = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = answer.body()) {
        body = in.readNBytes(MAX_BODY);
      }
    } catch (IOException e) {
      log.warn("{} could not be asked about {}: {}", who, request.target(), e.toString());
      return Decision.Answer.text(
          503, "This site is unavailable: its " + who + " does not answer.", null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Decision.Answer.text(503, "This site is unavailable.", null);
    }
    int status = answer.statusCode();
    if (status >= 200 && status < 300) {
      List<Header> up = new ArrayList<>(copied.size());
      for (String name : copied) {
        up.add(new Header(name, answer.headers().firstValue(name).orElse(null)));
      }
      return up.isEmpty() ? Decision.PASS : new Decision.Pass(up, List.of());
    }
    List<Header> headers = new ArrayList<>();
    answer
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              if (!NOT_PASSED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                values.forEach(v -> headers.add(new Header(name, v)));
              }
            });
    Refusal refusal =
        status == 403 ? new Refusal(Refusal.Kind.REFUSED, who + ": answered 403", null) : null;
    return new Decision.Answer(status, headers, body, refusal);
  }
}
