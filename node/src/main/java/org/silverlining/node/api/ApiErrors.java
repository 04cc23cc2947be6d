package org.silverlining.node.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.silverlining.node.errors.ConflictException;
import org.silverlining.node.errors.InvalidParameterException;
import org.silverlining.node.errors.InvalidRequestException;
import org.silverlining.node.errors.NotFoundException;
import org.silverlining.node.errors.TooLargeException;
import org.silverlining.node.errors.UnauthorizedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a refusal becomes an HTTP status, and the shape of an error answer: {@code
 * {"error": MESSAGE}}, with {@code "parameter": NAME} when one parameter is to blame. Anything that
 * is not a {@link org.silverlining.node.errors.RefusedException} is the node's own fault: 500.
 */
public final class ApiErrors {
  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

  private ApiErrors() {}

  /** The HTTP status that answers {@code e}. */
  public static int statusOf(Throwable e) {
    if (e instanceof InvalidRequestException) {
      return 400;
    } else if (e instanceof UnauthorizedException) {
      return 401;
    } else if (e instanceof NotFoundException) {
      return 404;
    } else if (e instanceof MethodNotAllowedException) {
      return 405;
    } else if (e instanceof ConflictException) {
      return 409;
    } else if (e instanceof TooLargeException) {
      return 413;
    }
    return 500;
  }

  /** What the answer to {@code e} says: the refusal's message, or the failure itself. */
  public static String messageOf(Throwable e) {
    return statusOf(e) == 500 || e.getMessage() == null ? e.toString() : e.getMessage();
  }

  /** The JSON body that answers {@code e}. */
  public static Map<String, Object> bodyOf(Throwable e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", messageOf(e));
    if (e instanceof InvalidParameterException p) {
      m.put("parameter", p.parameter());
    }
    return m;
  }

  /**
   * Answers {@code e}, with {@code WWW-Authenticate} for realm {@code realm} on a 401 (RFC 9110
   * §11.6.1: strict clients refuse a 401 without it) and {@code Allow} on a 405. When the answer
   * has started already, fails the callback instead: the client sees the stream end early.
   */
  public static void answer(Response response, Callback callback, Throwable e, String realm) {
    int status = statusOf(e);
    if (status == 500) {
      log.warn("an API call failed", e);
    }
    if (response.isCommitted()) {
      callback.failed(e);
      return;
    }
    try {
      response.setStatus(status);
      if (status == 401) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"" + realm + "\"");
      }
      if (e instanceof MethodNotAllowedException m) {
        response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", m.allowed()));
      }
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.write(true, ByteBuffer.wrap(ApiJson.ANSWERS.writeValueAsBytes(bodyOf(e))), callback);
    } catch (IOException | RuntimeException x) {
      callback.failed(x);
    }
  }
}
