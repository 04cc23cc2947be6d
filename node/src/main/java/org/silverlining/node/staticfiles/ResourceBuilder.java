package org.silverlining.node.staticfiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.silverlining.core.ResourcesIni;
import org.silverlining.core.ResourcesIni.Resource;

/**
 * Builds a deployment's named resources at update time: joins and minifies each combination of
 * {@code resources.ini} into {@code static/_resources/NAME.HASH.js} (or {@code .css}), whose name
 * changes with its content, and writes the {@link ResourcePlan} the app's {@code
 * SILVER_RESOURCES_FILE} is made from. In development (without {@code --minify}) it also rewrites
 * the production URLs of named resources in the deployment's HTML files to their development URLs.
 */
public final class ResourceBuilder {
  /** The folder of {@code static/} the combinations are written to. */
  public static final String OUTPUT = "_resources";

  private static final int HASH_CHARS = 12;

  private ResourceBuilder() {}

  /**
   * Builds the resources of the deployment in {@code instanceDir}; says what was done. Errors of
   * {@code resources.ini} or a minifier are {@link org.silverlining.core.InvalidConfigException}s
   * naming file and line.
   *
   * @param production the app gets production URLs (a node, or {@code silver serve --minify})
   */
  public static String build(Path instanceDir, boolean production) throws IOException {
    List<Resource> resources = ResourcesIni.read(instanceDir);
    if (resources.isEmpty()) {
      return "no " + ResourcesIni.FILE_NAME;
    }
    Set<String> members = ResourcesIni.members(resources);
    Map<String, String> prod = new LinkedHashMap<>();
    Map<String, String> devel = new LinkedHashMap<>();
    Map<String, String> rewrite = new LinkedHashMap<>();
    int combined = 0;
    for (Resource r : resources) {
      switch (r.kind()) {
        case FILE, DIRECTORY -> {
          String url = ResourcePlan.STATIC_URL + r.path();
          prod.put(r.name(), members.contains(r.name()) ? null : url);
          devel.put(r.name(), url);
        }
        case COMBINE -> {
          prod.put(
              r.name(),
              ResourcePlan.STATIC_URL + "/" + OUTPUT + "/" + combine(instanceDir, r, resources));
          devel.put(r.name(), null);
          combined++;
        }
        case EXTERNAL -> {
          prod.put(r.name(), r.production());
          devel.put(r.name(), r.devel());
          if (!r.production().equals(r.devel())) {
            rewrite.put(r.production(), r.devel());
          }
        }
      }
    }
    ResourcePlan.write(instanceDir, new ResourcePlan(prod, devel, rewrite));
    int rewritten = production ? 0 : rewriteHtml(instanceDir, rewrite);
    return resources.size()
        + " resource(s), "
        + combined
        + " combination(s) minified"
        + (production ? "" : ", " + rewritten + " HTML file(s) pointed at development URLs");
  }

  /** Joins and minifies {@code c}, writes it, and gives its file name. */
  private static String combine(Path instanceDir, Resource c, List<Resource> all)
      throws IOException {
    List<Resource> files = ResourcesIni.filesOf(c, all);
    List<JsMinifier.Source> sources = new ArrayList<>();
    for (Resource f : files) {
      Path file = instanceDir.resolve(StaticFolders.STATIC + f.path());
      sources.add(new JsMinifier.Source(StaticFolders.STATIC + f.path(), Files.readString(file)));
    }
    String ext = files.get(0).extension();
    String text;
    if (ext.equals(".js")) {
      text = JsMinifier.minify(sources);
    } else {
      StringBuilder css = new StringBuilder();
      for (JsMinifier.Source s : sources) {
        css.append(CssMinifier.minify(s.name(), s.text())).append('\n');
      }
      text = css.toString();
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    String name = c.name() + "." + hash(bytes) + ext;
    Path out = instanceDir.resolve(StaticFolders.STATIC).resolve(OUTPUT).resolve(name);
    Files.createDirectories(out.getParent());
    Files.write(out, bytes);
    return name;
  }

  private static String hash(byte[] bytes) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
      return HexFormat.of().formatHex(d).substring(0, HASH_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Replaces production URLs by development ones in the HTML files of {@code static/}; their
   * compressed copies, now stale, go. Gives the number of files changed.
   */
  static int rewriteHtml(Path instanceDir, Map<String, String> rewrite) throws IOException {
    Path dir = StaticFolders.versioned(instanceDir);
    if (dir == null || rewrite.isEmpty()) {
      return 0;
    }
    List<Path> pages;
    try (Stream<Path> s = Files.walk(dir)) {
      pages = s.filter(p -> isHtml(p) && Files.isRegularFile(p)).toList();
    }
    int changed = 0;
    for (Path page : pages) {
      String text = Files.readString(page);
      String out = rewrite(text, rewrite);
      if (!out.equals(text)) {
        Files.writeString(page, out);
        Files.deleteIfExists(page.resolveSibling(page.getFileName() + ".gz"));
        Files.deleteIfExists(page.resolveSibling(page.getFileName() + ".br"));
        changed++;
      }
    }
    return changed;
  }

  /** {@code html} with each production URL of {@code rewrite} replaced by its development one. */
  public static String rewrite(String html, Map<String, String> rewrite) {
    String out = html;
    for (Map.Entry<String, String> e : rewrite.entrySet()) {
      out = out.replace(e.getKey(), e.getValue());
    }
    return out;
  }

  private static boolean isHtml(Path p) {
    String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    return n.endsWith(".html") || n.endsWith(".htm");
  }
}
