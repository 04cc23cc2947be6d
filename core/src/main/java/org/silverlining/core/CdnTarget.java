package org.silverlining.core;

import java.util.regex.Pattern;

/**
 * Where the node pushes each deployment's {@code static/} files: the value of {@code cdn =
 * s3://BUCKET[/PREFIX]} (app.ini, else the global configuration), an S3 bucket and a key prefix
 * without slashes at either end ({@code ""}: the bucket's root).
 */
public record CdnTarget(String bucket, String prefix) {
  /** The app.ini and global configuration key. */
  public static final String KEY = "cdn";

  private static final String SCHEME = "s3://";

  /** S3's rule for bucket names (3 to 63 of a-z, 0-9, '.', '-', a letter or digit at each end). */
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  /** Key characters that need no escaping anywhere: a prefix is also part of a public URL. */
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._/-]*");

  /**
   * Reads {@code s3://bucket/prefix}; the message of the {@link IllegalArgumentException} says what
   * is wrong and shows the right form, for the caller to prefix with file, line and key.
   */
  public static CdnTarget parse(String text) {
    String v = text.strip();
    if (!v.startsWith(SCHEME)) {
      throw bad(v, "it does not start with s3://");
    }
    String rest = v.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : trimSlashes(rest.substring(slash + 1));
    if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
      throw bad(v, "'" + bucket + "' is not a bucket name (3 to 63 of a-z, 0-9, '.', '-')");
    }
    if (!PREFIX.matcher(prefix).matches() || prefix.contains("//")) {
      throw bad(v, "the prefix '" + prefix + "' may hold only letters, digits, '/', '-', '_', '.'");
    }
    return new CdnTarget(bucket, prefix);
  }

  /** The key of {@code path} (relative, '/'-separated) below the prefix. */
  public String key(String path) {
    return prefix.isEmpty() ? path : prefix + "/" + path;
  }

  @Override
  public String toString() {
    return SCHEME + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
  }

  private static String trimSlashes(String s) {
    int b = 0;
    int e = s.length();
    while (b < e && s.charAt(b) == '/') {
      b++;
    }
    while (e > b && s.charAt(e - 1) == '/') {
      e--;
    }
    return s.substring(b, e);
  }

  private static IllegalArgumentException bad(String value, String why) {
    return new IllegalArgumentException(
        "'"
            + value
            + "' is not an S3 location: "
            + why
            + "; give "
            + KEY
            + " = s3://BUCKET/PREFIX, e.g. s3://my-static/site");
  }
}
