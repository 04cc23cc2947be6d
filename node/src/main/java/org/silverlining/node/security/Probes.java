package org.silverlining.node.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The paths scanners request to find secrets and known weak software: {@code /.env}, {@code
 * /.git/}, {@code /wp-login.php}... A probe matches a request path, whatever its case, that ends
 * with it or holds it followed by {@code /}, at any depth: {@code /.git} matches {@code
 * /.git/config} and {@code /old/.git/HEAD}, {@code /.env} matches {@code /api/.env} but not {@code
 * /.envoy}.
 */
public final class Probes {
  /** The built-in list; {@code docs/security.md} shows it. */
  public static final Probes BUILT_IN =
      new Probes(
          List.of(
              "/.env",
              "/.git",
              "/.svn",
              "/.hg",
              "/.aws",
              "/.ssh",
              "/.docker",
              "/.htaccess",
              "/.htpasswd",
              "/.DS_Store",
              "/.vscode",
              "/.idea",
              "/wp-login.php",
              "/wp-admin",
              "/wp-config.php",
              "/wp-content",
              "/wp-includes",
              "/xmlrpc.php",
              "/phpmyadmin",
              "/pma",
              "/adminer.php",
              "/phpinfo.php",
              "/config.php",
              "/config.json",
              "/server-status",
              "/cgi-bin",
              "/actuator",
              "/vendor/phpunit",
              "/boaform",
              "/HNAP1"));

  private final List<String> paths;

  private Probes(List<String> paths) {
    List<String> lower = new ArrayList<>();
    for (String p : paths) {
      String t = p.strip();
      if (!t.startsWith("/") || t.length() < 2 || t.chars().anyMatch(c -> c <= ' ' || c == '?')) {
        throw new IllegalArgumentException(
            "'"
                + p
                + "' is not a probe path: write one starting with /, e.g. /.env or /backup.zip");
      }
      t = t.toLowerCase(Locale.ROOT);
      lower.add(t.length() > 1 && t.endsWith("/") ? t.substring(0, t.length() - 1) : t);
    }
    this.paths = List.copyOf(lower);
  }

  /** These probes and {@code more}. */
  public Probes with(List<String> more) {
    List<String> all = new ArrayList<>(paths);
    all.addAll(more);
    return new Probes(all);
  }

  /** The probes, lower case, without a trailing {@code /}. */
  public List<String> paths() {
    return paths;
  }

  /** The probe {@code path} asks for, or null when it asks for none. */
  public String match(String path) {
    if (path == null) {
      return null;
    }
    String p = path.toLowerCase(Locale.ROOT);
    for (String probe : paths) {
      if (p.endsWith(probe) || p.contains(probe + "/")) {
        return probe;
      }
    }
    return null;
  }
}
