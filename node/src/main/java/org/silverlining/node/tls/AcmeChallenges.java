package org.silverlining.node.tls;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers ACME HTTP-01 challenges at {@code /.well-known/acme-challenge/TOKEN} on the front, for
 * the tokens of orders under way, before any routing to apps (and before any redirect to HTTPS,
 * which the CA would not follow to a certificate not issued yet). Other requests pass through.
 */
public final class AcmeChallenges extends Handler.Wrapper {
  public static final String PATH = "/.well-known/acme-challenge/";
  private final Map<String, String> answers = new ConcurrentHashMap<>();

  public AcmeChallenges() {}

  public AcmeChallenges(Handler next) {
    super(next);
  }

  /** Answers {@code token} with {@code keyAuthorization} until {@link #withdraw}. */
  void offer(String token, String keyAuthorization) {
    answers.put(token, keyAuthorization);
  }

  void withdraw(String token) {
    answers.remove(token);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = request.getHttpURI().getPath();
    if (path != null && path.startsWith(PATH) && !request.isSecure()) {
      String answer = answers.get(path.substring(PATH.length()));
      if (answer != null) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
        response.write(true, StandardCharsets.US_ASCII.encode(answer), callback);
        return true;
      }
    }
    return super.handle(request, response, callback);
  }
}
