package org.silverlining.node.front;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.silverlining.node.middleware.Decision;
import org.silverlining.node.middleware.ErrorPages;
import org.silverlining.node.middleware.Header;
import org.silverlining.node.middleware.MiddlewareChain;
import org.silverlining.node.middleware.MiddlewareChains;
import org.silverlining.node.middleware.Refusal;
import org.silverlining.node.middleware.RequestView;

/**
 * Asks the routed location's middleware chain about each request, before any file, PHP script or
 * app process answers: sends the chain's answer when it gives one, else passes the request on with
 * the headers the chain adds, and puts the chain's response headers on whatever answer comes back
 * (they replace the app's own of the same name). With the {@code errors} pack, a 5xx answer from
 * behind it is replaced by the pack's page ({@link ErrorPageResponse}).
 */
public final class MiddlewareHandler extends Handler.Wrapper {
  /** Where refusals the security log should hear of go. */
  public interface Refusals {
    void refused(Request request, Refusal event);
  }

  /** Where a routed request's deployment lives (its {@code errors/} pages), or null. */
  public interface AppDirs {
    Path of(RouteMatch match);
  }

  private final MiddlewareChains chains;
  private final Refusals refusals;
  private final AppDirs appDirs;

  public MiddlewareHandler(
      MiddlewareChains chains, Refusals refusals, AppDirs appDirs, Handler next) {
    super(next);
    this.chains = chains;
    this.refusals = refusals;
    this.appDirs = appDirs;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!(request.getAttribute(RouteMatch.ATTRIBUTE) instanceof RouteMatch match)) {
      return super.handle(request, response, callback);
    }
    MiddlewareChain chain = chains.of(match.route().location());
    if (chain.isEmpty()) {
      return super.handle(request, response, callback);
    }
    Decision decision = chain.decide(new View(request));
    if (decision instanceof Decision.Answer answer) {
      if (answer.event() != null) {
        refusals.refused(request, answer.event());
      }
      response.setStatus(answer.status());
      for (Header h : answer.headers()) {
        if (h.value() != null) {
          response.getHeaders().add(h.name(), h.value()); // an answer may set two cookies
        }
      }
      response.write(true, ByteBuffer.wrap(answer.body()), callback);
      return true;
    }
    Decision.Pass pass = (Decision.Pass) decision;
    Request in = pass.toUpstream().isEmpty() ? request : withHeaders(request, pass.toUpstream());
    ErrorPages pages = chain.errorPages();
    if (pass.toClient().isEmpty() && pages == null) {
      return super.handle(in, response, callback);
    }
    List<Header> headers = pass.toClient();
    Response withHeaders = headers.isEmpty() ? response : new HeadersOnCommit(response, headers);
    ErrorPageResponse caught =
        pages == null ? null : new ErrorPageResponse(in, withHeaders, pages, appDirs.of(match));
    Callback done =
        new Callback.Nested(callback) {
          @Override
          public void succeeded() {
            if (caught != null && caught.replacesAtEnd()) {
              caught.sendPage(Callback.from(super::succeeded, super::failed));
              return;
            }
            // An answer without a body (a 304, a redirect) may be committed by this call alone.
            if (!response.isCommitted()) {
              put(response.getHeaders(), headers);
            }
            super.succeeded();
          }
        };
    return super.handle(in, caught == null ? withHeaders : caught, done);
  }

  private static Request withHeaders(Request request, List<Header> headers) {
    HttpFields.Mutable fields = HttpFields.build(request.getHeaders());
    put(fields, headers);
    HttpFields changed = fields.asImmutable();
    return new Request.Wrapper(request) {
      @Override
      public HttpFields getHeaders() {
        return changed;
      }
    };
  }

  private static void put(HttpFields.Mutable fields, List<Header> headers) {
    for (Header h : headers) {
      if (h.value() == null) {
        fields.remove(h.name());
      } else {
        fields.put(h.name(), h.value());
      }
    }
  }

  /** A response that puts headers on itself just before it is committed by a write. */
  private static final class HeadersOnCommit extends Response.Wrapper {
    private final List<Header> headers;

    HeadersOnCommit(Response response, List<Header> headers) {
      super(response.getRequest(), response);
      this.headers = headers;
    }

    @Override
    public void write(boolean last, ByteBuffer content, Callback callback) {
      if (!isCommitted()) {
        put(getHeaders(), headers);
      }
      super.write(last, content, callback);
    }
  }

  /** The request as packs see it. */
  private record View(Request request) implements RequestView {
    @Override
    public String method() {
      return request.getMethod();
    }

    @Override
    public String target() {
      return request.getHttpURI().getPathQuery();
    }

    @Override
    public String path() {
      String p = request.getHttpURI().getCanonicalPath();
      return p == null ? "/" : p;
    }

    @Override
    public String header(String name) {
      return request.getHeaders().get(name);
    }

    @Override
    public void forEachHeader(BiConsumer<String, String> each) {
      for (HttpField f : request.getHeaders()) {
        each.accept(f.getName(), f.getValue());
      }
    }

    @Override
    public String clientAddress() {
      return Request.getRemoteAddr(request);
    }

    @Override
    public boolean secure() {
      return request.isSecure();
    }
  }
}
