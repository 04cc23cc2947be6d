package org.silverlining.node.staticfiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.silverlining.node.staticfiles.StaticAnswer.Header;

/**
 * Decides how a request is answered from files, knowing nothing of the HTTP server: which file,
 * which headers, which status. The front's Jetty handler writes what it decides, and so may any
 * faster path, so that every way of serving a file follows the same rules:
 *
 * <ul>
 *   <li>{@code /static/VERSION/...} below the location ({@code $STATIC_URL}) is answered from that
 *       deployment's {@code static/} folder — the live one or an earlier one still on the node —
 *       with far-future caching; a file that is not there is a 404 (never the app's);
 *   <li>otherwise the live deployment's files at the location's root, then a PHP app's document
 *       root, then the writable root, each revalidated by {@code ETag}/{@code Last-Modified};
 *   <li>{@code If-None-Match} (before {@code If-Modified-Since}) gives 304, a single {@code Range}
 *       206 (or 416), honoured unless {@code If-Range} names another version of the file;
 *   <li>for text types, a {@code .br} or {@code .gz} file beside the original is sent as it is to a
 *       client that accepts that encoding, with {@code Vary: Accept-Encoding}.
 * </ul>
 *
 * Only {@code GET} and {@code HEAD} are answered; {@link #resolve} returns {@code null} for any
 * request the app should answer.
 */
public final class StaticResolver {
  /** Caching of files below {@code $STATIC_URL}: their URL changes with every deployment. */
  public static final String FAR_FUTURE = "public, max-age=31536000, immutable";

  /** Caching of files at their plain URLs: kept, but asked about again before each use. */
  public static final String REVALIDATE = "no-cache";

  private static final Pattern VERSIONED = Pattern.compile("/static/(\\d{8}_\\d{3,})(/.*)");
  private static final String INDEX = "index.html";
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  /** At most this many file times' HTTP dates are kept (a few hundred KB). */
  private static final int HTTP_DATES = 4096;

  /** The encodings of precompressed files, preferred first, with their file name suffixes. */
  private static final List<String[]> ENCODINGS =
      List.of(new String[] {"br", ".br"}, new String[] {"gzip", ".gz"});

  private final Function<String, Path> earlierStaticDir;
  private final Map<Long, String> httpDates = new ConcurrentHashMap<>();

  /**
   * @param earlierStaticDir the {@code static/} folder of a deployment ({@code APP.VERSION}) still
   *     on the node, or {@code null} when it is not (never deployed, or pruned)
   */
  public StaticResolver(Function<String, Path> earlierStaticDir) {
    this.earlierStaticDir = earlierStaticDir;
  }

  /** The answer to {@code request} from the files of {@code roots}, or {@code null}: the app's. */
  public StaticAnswer resolve(FileRoots roots, FileRequest request) throws IOException {
    if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
      return null;
    }
    String path = request.path();
    Matcher versioned = VERSIONED.matcher(path);
    if (versioned.matches()) {
      String instance = roots.app() + "." + versioned.group(1);
      Path dir =
          instance.equals(roots.instance())
              ? roots.versionedDir()
              : earlierStaticDir.apply(instance);
      if (dir == null) {
        // An unknown or pruned version: the node's 404 where the app has versioned URLs at all.
        return roots.versionedDir() == null ? null : StaticAnswer.notFound();
      }
      Found f = find(dir, versioned.group(2), false);
      return f == null ? StaticAnswer.notFound() : answer(f, request, FAR_FUTURE, true);
    }
    Found f = roots.staticDir() == null ? null : find(roots.staticDir(), path, false);
    if (f == null && roots.phpRoot() != null && isPublicPhpRootFile(path)) {
      f = find(roots.phpRoot(), path, false);
    }
    if (f == null && roots.writableRoot() != null) {
      Path writable = roots.writableRoot();
      Path perHost = writable.resolve(request.host()).normalize();
      if (perHost.getParent().equals(writable) && Files.isDirectory(perHost)) {
        f = find(perHost, path, true);
      }
      if (f == null) {
        f = find(writable, path, true);
      }
    }
    return f == null ? null : answer(f, request, REVALIDATE, f.deployed);
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

  /** A file found, with its attributes; {@code deployed}: it came with a deployment. */
  private record Found(Path file, BasicFileAttributes attrs, boolean deployed) {}

  /**
   * The file {@code rest} names in {@code dir}, a folder's {@code index.html} when asked with the
   * trailing slash (so relative links in the page resolve below it), or {@code null}. Files an app
   * wrote itself ({@code appWritten}) are checked after resolving links, so a link cannot expose
   * the node.
   */
  private static Found find(Path dir, String rest, boolean appWritten) throws IOException {
    Path file;
    try {
      file = dir.resolve(rest.substring(1)).normalize();
    } catch (InvalidPathException e) {
      return null;
    }
    if (!file.startsWith(dir)) {
      return null;
    }
    if (rest.endsWith("/")) {
      file = file.resolve(INDEX);
    }
    BasicFileAttributes attrs = attributes(file);
    if (attrs == null || !attrs.isRegularFile()) {
      return null;
    }
    if (appWritten && !file.toRealPath().startsWith(dir.toRealPath())) {
      return null;
    }
    return new Found(file, attrs, !appWritten);
  }

  /**
   * {@code modified} as an HTTP date, formatted once per second of file times rather than per
   * answer (per answer it was a twentieth of a small file's cost).
   */
  private String httpDate(long modified) {
    long second = Math.floorDiv(modified, 1000);
    String date = httpDates.get(second);
    if (date == null) {
      if (httpDates.size() >= HTTP_DATES) {
        httpDates.clear();
      }
      date = HTTP_DATE.format(Instant.ofEpochSecond(second));
      httpDates.put(second, date);
    }
    return date;
  }

  private static BasicFileAttributes attributes(Path file) throws IOException {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
      return null;
    } catch (java.nio.file.FileSystemException e) {
      return null; // a name too long, a loop of links: no such file to serve
    }
  }

  private StaticAnswer answer(Found f, FileRequest req, String caching, boolean mayUseVariants)
      throws IOException {
    String type = MediaTypes.of(f.file.getFileName().toString());
    boolean compressible = MediaTypes.isCompressible(type);
    String range = req.method().equals("GET") ? req.header().apply("Range") : null;
    Path file = f.file;
    BasicFileAttributes attrs = f.attrs;
    String encoding = null;
    if (compressible && mayUseVariants && range == null) {
      String accepted = req.header().apply("Accept-Encoding");
      for (String[] e : ENCODINGS) {
        if (accepted != null && accepts(accepted, e[0])) {
          Path variant = file.resolveSibling(file.getFileName() + e[1]);
          BasicFileAttributes va = attributes(variant);
          if (va != null && va.isRegularFile()) {
            file = variant;
            attrs = va;
            encoding = e[0];
            break;
          }
        }
      }
    }
    long size = attrs.size();
    long modified = attrs.lastModifiedTime().toMillis();
    String etag = "\"" + Long.toHexString(modified) + "-" + Long.toHexString(size) + "\"";
    List<Header> headers = new ArrayList<>();
    headers.add(new Header("ETag", etag));
    headers.add(new Header("Last-Modified", httpDate(modified)));
    headers.add(new Header("Cache-Control", caching));
    if (compressible) {
      headers.add(new Header("Vary", "Accept-Encoding"));
    }
    if (notModified(req, etag, modified)) {
      return new StaticAnswer(304, null, 0, 0, headers);
    }
    headers.add(new Header("Content-Type", type));
    headers.add(new Header("Accept-Ranges", "bytes"));
    if (encoding != null) {
      headers.add(new Header("Content-Encoding", encoding));
    }
    if (range != null && rangeApplies(req.header().apply("If-Range"), etag, modified)) {
      long[] span = span(range, size);
      if (span != null && span.length == 0) {
        headers.add(new Header("Content-Range", "bytes */" + size));
        headers.add(new Header("Content-Length", "0"));
        return new StaticAnswer(416, null, 0, 0, headers);
      }
      if (span != null) {
        long length = span[1] - span[0] + 1;
        headers.add(new Header("Content-Range", "bytes " + span[0] + "-" + span[1] + "/" + size));
        headers.add(new Header("Content-Length", Long.toString(length)));
        return new StaticAnswer(206, file, span[0], length, headers);
      }
    }
    headers.add(new Header("Content-Length", Long.toString(size)));
    return new StaticAnswer(200, file, 0, size, headers);
  }

  /**
   * {@code If-None-Match} decides when present (weak comparison); else {@code If-Modified-Since}.
   */
  private static boolean notModified(FileRequest req, String etag, long modified) {
    String inm = req.header().apply("If-None-Match");
    if (inm != null) {
      for (String tag : inm.split(",")) {
        String t = tag.strip();
        if (t.equals("*") || opaque(t).equals(opaque(etag))) {
          return true;
        }
      }
      return false;
    }
    Instant since = parseDate(req.header().apply("If-Modified-Since"));
    return since != null && modified / 1000 <= since.getEpochSecond();
  }

  /** A {@code Range} is honoured without {@code If-Range}, or when it names this version. */
  private static boolean rangeApplies(String ifRange, String etag, long modified) {
    if (ifRange == null) {
      return true;
    }
    String v = ifRange.strip();
    if (v.startsWith("\"")) {
      return v.equals(etag); // a strong comparison, as If-Range asks
    }
    Instant date = parseDate(v);
    return date != null && date.getEpochSecond() == modified / 1000;
  }

  private static String opaque(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
  }

  private static Instant parseDate(String text) {
    if (text == null) {
      return null;
    }
    try {
      return ZonedDateTime.parse(text.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * The first and last byte {@code range} asks of a file of {@code size} bytes; an empty array when
   * it is outside the file (416); {@code null} when the whole file is sent instead (not a byte
   * range, or several ranges, which browsers and download tools do not ask for).
   */
  static long[] span(String range, long size) {
    String r = range.strip();
    if (!r.regionMatches(true, 0, "bytes=", 0, 6) || r.indexOf(',') >= 0) {
      return null;
    }
    String spec = r.substring(6).strip();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    try {
      String first = spec.substring(0, dash).strip();
      String last = spec.substring(dash + 1).strip();
      if (first.isEmpty()) {
        long suffix = Long.parseLong(last);
        if (suffix <= 0 || size == 0) {
          return new long[0];
        }
        return new long[] {Math.max(0, size - suffix), size - 1};
      }
      long from = Long.parseLong(first);
      long to = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
      if (from < 0 || from >= size) {
        return new long[0];
      }
      return to < from ? null : new long[] {from, to};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Whether {@code acceptEncoding} accepts {@code coding}: named or {@code *}, with q above 0. */
  public static boolean accepts(String acceptEncoding, String coding) {
    Boolean star = null;
    for (String part : acceptEncoding.split(",")) {
      String[] p = part.strip().split(";");
      String name = p[0].strip();
      boolean ok = true;
      for (int i = 1; i < p.length; i++) {
        String param = p[i].strip();
        if (param.startsWith("q=") || param.startsWith("Q=")) {
          try {
            ok = Double.parseDouble(param.substring(2)) > 0;
          } catch (NumberFormatException e) {
            ok = false;
          }
        }
      }
      if (name.equalsIgnoreCase(coding)) {
        return ok;
      }
      if (name.equals("*")) {
        star = ok;
      }
    }
    return star != null && star;
  }
}
