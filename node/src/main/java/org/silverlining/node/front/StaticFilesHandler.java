package org.silverlining.node.front;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.URIUtil;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.silverlining.core.Runtime;

/**
 * Answers from files when one matches the request: the instance's {@code static/} folder first,
 * then a PHP app's {@code php_root} (all but its scripts and hidden files), then the app's {@code
 * writable_root} ({@code HOST/} below it before the rest); otherwise passes the request on to the
 * app. A folder is answered by its {@code index.html}. Each folder gets its own Jetty {@link
 * ResourceHandler} (ETags, ranges, content types), made on first use.
 */
public final class StaticFilesHandler extends Handler.Abstract {
  private static final String INDEX = "index.html";
  private final Map<Path, ResourceHandler> handlers = new ConcurrentHashMap<>();

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!(request.getAttribute(LiveInstance.ATTRIBUTE) instanceof LiveInstance live)) {
      return false;
    }
    RouteMatch match = (RouteMatch) request.getAttribute(RouteMatch.ATTRIBUTE);
    String rest = match.remainingPath();
    if (live.staticDir() != null
        && serve(live.staticDir(), rest, false, request, response, callback)) {
      return true;
    }
    Path phpRoot = phpRoot(live);
    if (phpRoot != null
        && isPublicPhpRootFile(rest)
        && serve(phpRoot, rest, true, request, response, callback)) {
      return true;
    }
    Path writable = live.writableRoot();
    if (writable == null) {
      return false;
    }
    String host = Request.getServerName(request).toLowerCase(java.util.Locale.ROOT);
    Path perHost = writable.resolve(host).normalize();
    return perHost.getParent().equals(writable)
            && Files.isDirectory(perHost)
            && serve(perHost, rest, true, request, response, callback)
        || serve(writable, rest, true, request, response, callback);
  }

  /** A PHP instance's document root, where files other than scripts are served as they are. */
  private static Path phpRoot(LiveInstance live) {
    if (live.processes() == null || live.processes().config().runtime() != Runtime.PHP) {
      return null;
    }
    Path dir = live.processes().dir().toAbsolutePath().normalize();
    return dir.resolve(live.processes().config().phpRoot()).normalize();
  }

  /**
   * Whether a path below a PHP document root may be answered from its file: not a script (php-fpm
   * runs those), not a hidden file or folder, and not the app's own {@code app.ini}.
   */
  static boolean isPublicPhpRootFile(String rest) {
    String lower = rest.toLowerCase(Locale.ROOT);
    return !lower.endsWith(".php")
        && !lower.equals("/app.ini")
        && !rest.contains("/.")
        && !rest.endsWith("/");
  }

  /**
   * Serves {@code rest} from {@code dir} when it names a file there. Files an app wrote itself
   * ({@code appWritten}) are checked after resolving links, so a link cannot expose the node.
   */
  private boolean serve(
      Path dir,
      String rest,
      boolean appWritten,
      Request request,
      Response response,
      Callback callback)
      throws Exception {
    Path file = fileFor(dir, rest);
    if (file == null) {
      return false;
    }
    if (!file.equals(dir.resolve(rest.substring(1)).normalize())) {
      rest = rest + INDEX; // the folder's index.html
    }
    if (appWritten && !file.toRealPath().startsWith(dir.toRealPath())) {
      return false;
    }
    ResourceHandler handler = handlers.computeIfAbsent(dir, this::newHandler);
    HttpURI uri = HttpURI.build(request.getHttpURI()).path(URIUtil.encodePath(rest));
    return handler.handle(Request.serveAs(request, uri), response, callback);
  }

  private ResourceHandler newHandler(Path dir) {
    ResourceHandler h = new ResourceHandler();
    h.setBaseResource(ResourceFactory.root().newResource(dir));
    h.setDirAllowed(false);
    h.setEtags(true);
    h.setServer(getServer());
    try {
      h.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot serve " + dir, e);
    }
    return h;
  }

  /** Whether {@code rest} names a file in an instance's {@code static/} folder {@code dir}. */
  boolean hasFile(Path dir, String rest) {
    return fileFor(dir, rest) != null;
  }

  /**
   * The file {@code rest} names in {@code dir}, or null. A folder is answered by its index.html,
   * but only when asked with the trailing slash, so that relative links in the page resolve below
   * it.
   */
  private static Path fileFor(Path dir, String rest) {
    Path file = dir.resolve(rest.substring(1)).normalize();
    if (!file.startsWith(dir)) {
      return null;
    }
    if (Files.isRegularFile(file)) {
      return file;
    }
    Path index = file.resolve(INDEX);
    return rest.endsWith("/") && Files.isRegularFile(index) ? index : null;
  }

  /** Forgets the handler of an instance that is gone. */
  public void forget(Path staticDir) {
    ResourceHandler h = handlers.remove(staticDir);
    if (h != null) {
      try {
        h.stop();
      } catch (Exception e) {
        // stopping a file handler; nothing holds resources worth reporting
      }
    }
  }
}
