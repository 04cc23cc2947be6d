package org.silverlining.node.front;

import java.nio.file.Path;
import java.util.Locale;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.silverlining.node.staticfiles.FileRequest;
import org.silverlining.node.staticfiles.StaticAnswer;
import org.silverlining.node.staticfiles.StaticResolver;

/**
 * Answers from files when the {@link StaticResolver} finds one for the request (the rules are all
 * there), otherwise passes the request on to the app. This class only writes the answer with Jetty.
 * {@code NAME.asis} is answered at {@code NAME} with the status, headers and body written in it
 * ({@link AsisFile}).
 */
public final class StaticFilesHandler extends Handler.Abstract {
  private final StaticResolver resolver;

  public StaticFilesHandler(StaticResolver resolver) {
    this.resolver = resolver;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!(request.getAttribute(LiveInstance.ATTRIBUTE) instanceof LiveInstance live)) {
      return false;
    }
    RouteMatch match = (RouteMatch) request.getAttribute(RouteMatch.ATTRIBUTE);
    String host = Request.getServerName(request).toLowerCase(Locale.ROOT);
    if (AsisFile.isAsisName(match.remainingPath())) {
      return false; // a .asis file is answered only as what it holds, at its name without .asis
    }
    StaticAnswer answer =
        resolver.resolve(
            live.files(),
            new FileRequest(
                request.getMethod(),
                match.remainingPath(),
                host,
                name -> request.getHeaders().get(name)));
    if (answer == null) {
      Path asis = AsisFile.find(live.files(), request.getMethod(), match.remainingPath(), host);
      if (asis == null) {
        return false;
      }
      AsisFile.serve(asis, request, response, callback);
      return true;
    }
    if (answer.status() == 404) {
      Pages.noSuchFile(response, callback);
      return true;
    }
    response.setStatus(answer.status());
    for (StaticAnswer.Header h : answer.headers()) {
      response.getHeaders().put(h.name(), h.value());
    }
    if (answer.file() == null || HttpMethod.HEAD.is(request.getMethod())) {
      response.write(true, null, callback);
    } else {
      Content.copy(
          Content.Source.from(answer.file(), answer.offset(), answer.length()), response, callback);
    }
    return true;
  }

  /**
   * The answer from {@code live}'s files to {@code request} (its path below the location's prefix),
   * for the byte-level path: null when the app answers it, or when the full server should (a {@code
   * .asis} file, the node's not-found page).
   *
   * @throws java.io.IOException when the files cannot be read; the full server finds out again
   */
  StaticAnswer answer(LiveInstance live, FileRequest request) throws java.io.IOException {
    if (AsisFile.isAsisName(request.path())) {
      return null;
    }
    return resolver.resolve(live.files(), request);
  }

  /** Whether {@code request} is answered from a {@code .asis} file of {@code live}'s. */
  static boolean isAsis(LiveInstance live, FileRequest request) throws java.io.IOException {
    return AsisFile.find(live.files(), request.method(), request.path(), request.host()) != null;
  }
}
