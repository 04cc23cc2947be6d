package org.silverlining.node.cdn;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import org.silverlining.core.AppConfig;
import org.silverlining.core.CdnTarget;

/**
 * What the push of an app's {@code static/} to S3-compatible storage needs: {@code cdn} (app.ini,
 * else the global configuration) and the node's global {@code cdn_endpoint}, {@code cdn_region},
 * {@code cdn_access_key} and {@code cdn_secret_key}. {@link #toString} leaves the keys out.
 */
public record CdnSettings(
    CdnTarget target, URI endpoint, String region, String accessKey, String secretKey) {
  public static final String ENDPOINT = "cdn_endpoint";
  public static final String REGION = "cdn_region";
  public static final String ACCESS_KEY = "cdn_access_key";
  public static final String SECRET_KEY = "cdn_secret_key";

  /** What AWS's own endpoint calls its first region; most other stores ignore the region. */
  public static final String DEFAULT_REGION = "us-east-1";

  /** Global keys the node alone reads: not written to the apps' SILVER_GLOBAL_CONFIG. */
  public static final Set<String> NODE_ONLY = Set.of(ACCESS_KEY, SECRET_KEY);

  /**
   * The push of an app whose app.ini settings are {@code app} and whose view of the global
   * configuration is {@code global}; {@code null} when it has no {@code cdn}. A {@code cdn} without
   * the endpoint or the keys is an {@link IllegalArgumentException} saying what to set.
   */
  public static CdnSettings of(Map<String, String> app, Map<String, String> global) {
    CdnTarget target = targetOf(app, global);
    if (target == null) {
      return null;
    }
    URI endpoint = endpointOf(global);
    String access = global.getOrDefault(ACCESS_KEY, "").strip();
    String secret = global.getOrDefault(SECRET_KEY, "").strip();
    if (endpoint == null || access.isEmpty() || secret.isEmpty()) {
      throw new IllegalArgumentException(
          CdnTarget.KEY
              + " = "
              + target
              + " needs the storage's endpoint and keys in the global configuration: silver"
              + " global-config --set "
              + ENDPOINT
              + "=https://s3.example.com, --set "
              + ACCESS_KEY
              + "=KEY_ID and --set "
              + SECRET_KEY
              + " --secret (the key on standard input)");
    }
    String region = global.getOrDefault(REGION, "").strip();
    return new CdnSettings(
        target, endpoint, region.isEmpty() ? DEFAULT_REGION : region, access, secret);
  }

  /**
   * The public URL of the bucket's prefix, path-style ({@code ENDPOINT/BUCKET/PREFIX}), for {@code
   * $STATIC_URL} when no {@code static_url} is set; {@code null} without a {@code cdn} or an
   * endpoint.
   */
  public static String publicBase(Map<String, String> app, Map<String, String> global) {
    CdnTarget target = targetOf(app, global);
    URI endpoint = endpointOf(global);
    if (target == null || endpoint == null) {
      return null;
    }
    String e = endpoint.toString();
    return (e.endsWith("/") ? e.substring(0, e.length() - 1) : e)
        + "/"
        + target.bucket()
        + (target.prefix().isEmpty() ? "" : "/" + target.prefix());
  }

  /** The endpoint and bucket, as errors name them. */
  public String where() {
    return target + " at " + endpoint;
  }

  @Override
  public String toString() {
    return where() + " (region " + region + ")";
  }

  private static CdnTarget targetOf(Map<String, String> app, Map<String, String> global) {
    String v = app.getOrDefault(CdnTarget.KEY, "").strip();
    if (v.isEmpty()) {
      v = global.getOrDefault(CdnTarget.KEY, "").strip();
    }
    return v.isEmpty() ? null : CdnTarget.parse(v);
  }

  private static URI endpointOf(Map<String, String> global) {
    String e = global.getOrDefault(ENDPOINT, "").strip();
    return AppConfig.isBaseUrl(e) ? URI.create(e) : null;
  }
}
