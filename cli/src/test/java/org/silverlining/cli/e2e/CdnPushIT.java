package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The push of {@code static/} to S3-compatible storage ({@code cdn = s3://...}) through a real node
 * and the real CLI, against a real S3-compatible server (S3Proxy, checking signatures): the files
 * land with their types and caching before the switch and {@code $STATIC_URL} points at them; a
 * wrong key fails the update while the previous deployment serves; a later stage's failure deletes
 * them; a bad {@code cdn} is refused.
 */
class CdnPushIT {
  private static final String HOST = "cdn.test";
  private static final String BUCKET = "site-static";
  private static final String ACCESS_KEY = "pushkey";
  private static final String SECRET_KEY = "s3cret-do-not-show";
  private static final String CSS = ".a { color: red; }\n".repeat(200);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Answers its STATIC_URL, and its version at /version. */
  private static final String APP_PY =
      """
      import http.server, os
      class H(http.server.BaseHTTPRequestHandler):
          def log_message(self, *a): pass
          def do_GET(self):
              v = os.environ["SILVER_INSTANCE_NAME"] if self.path == "/version" else os.environ.get("STATIC_URL", "none")
              body = v.encode()
              self.send_response(200)
              self.send_header("Content-Length", str(len(body)))
              self.end_headers()
              self.wfile.write(body)
      http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
      """;

  @TempDir static Path dir;
  static S3Proxy storage;
  static String endpoint;
  static S3Client s3;
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    BlobStoreContext blobs =
        ContextBuilder.newBuilder("transient")
            .credentials(ACCESS_KEY, SECRET_KEY)
            .build(BlobStoreContext.class);
    storage =
        S3Proxy.builder()
            .blobStore(blobs.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    storage.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> storage.getState().equals("STARTED"));
    endpoint = "http://127.0.0.1:" + storage.getPort();
    s3 =
        S3Client.builder()
            .endpointOverride(URI.create(endpoint))
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .httpClient(UrlConnectionHttpClient.create())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .build();
    s3.createBucket(b -> b.bucket(BUCKET));

    node = TestNode.start(dir.resolve("node"));
    ok(node.silver("global-config", "--set", "cdn_endpoint=" + endpoint));
    ok(node.silver("global-config", "--set", "cdn_access_key=" + ACCESS_KEY));
    // Not marked --secret: the node keeps this key secret whatever the command says.
    ok(node.silver("global-config", "--set", "cdn_secret_key=" + SECRET_KEY));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (s3 != null) {
      s3.close();
    }
    if (storage != null) {
      storage.stop();
    }
  }

  @Test
  void anUpdateUploadsStaticBeforeTheSwitchAndStaticUrlPointsThere() throws Exception {
    TestNode.Result update = node.update(app("push", "cdn = s3://" + BUCKET + "/site"), HOST);

    String instance = TestNode.liveInstance(update);
    String version = instance.substring(instance.indexOf('.') + 1);
    String keys = "site/static/" + version;
    assertThat(update.stdout()).containsPattern("push\\s.*4 file\\(s\\), \\d+ KiB to s3://");
    assertThat(update.output()).doesNotContain(SECRET_KEY);

    ResponseBytes<GetObjectResponse> css = object(keys + "/css/site.css");
    assertThat(css.asUtf8String()).isEqualTo("/* push */\n" + CSS);
    assertThat(css.response().contentType()).isEqualTo("text/css");
    assertThat(css.response().cacheControl()).isEqualTo("public, max-age=31536000, immutable");
    ResponseBytes<GetObjectResponse> gz = object(keys + "/css/site.css.gz");
    assertThat(gz.response().contentType()).isEqualTo("text/css");
    assertThat(gz.response().contentEncoding()).isEqualTo("gzip");
    assertThat(gunzip(gz.asByteArray())).isEqualTo("/* push */\n" + CSS);
    assertThat(object(keys + "/img/dot.png").asByteArray()).isEqualTo(new byte[] {1, 2, 3});
    assertThat(object(keys + "/img/dot.png").response().contentType()).isEqualTo("image/png");

    String staticUrl = endpoint + "/" + BUCKET + "/" + keys;
    assertThat(node.get(HOST, "/").body()).isEqualTo(staticUrl);
    JsonNode query = JSON.readTree(ok(node.silver("query", "--json")).stdout());
    assertThat(query.findValuesAsText("static_url")).contains(staticUrl);
    assertThat(ok(node.silver("global-config")).stdout())
        .contains("cdn_secret_key = ********")
        .doesNotContain(SECRET_KEY);
  }

  @Test
  void aWrongSecretKeyFailsTheUpdateAndThePreviousDeploymentServes() throws Exception {
    String location = "wrong." + HOST;
    String live =
        TestNode.liveInstance(node.update(app("before", "cdn = s3://" + BUCKET + "/w"), location));
    ok(node.silver("global-config", "--set", "cdn_secret_key=not-the-key", "--app", "before"));
    try {
      TestNode.Result failed =
          node.silver("update", app("before", "cdn = s3://" + BUCKET + "/w").toString(), location);

      assertThat(failed.exitCode()).as(failed.output()).isNotZero();
      assertThat(failed.output())
          .contains("update failed at push")
          .contains("s3://" + BUCKET + "/w at " + endpoint)
          .contains("SignatureDoesNotMatch")
          .contains("cdn_secret_key")
          .doesNotContain("not-the-key");
      assertThat(node.get(location, "/version").body()).isEqualTo(live);
    } finally {
      ok(node.silver("global-config", "--unset", "cdn_secret_key", "--app", "before"));
    }
  }

  @Test
  void aLaterStagesFailureDeletesWhatThePushPut() throws Exception {
    Path app = app("undone", "cdn = s3://" + BUCKET + "/undone");
    Files.writeString(app.resolve("app.py"), "raise SystemExit('no start today')\n");

    TestNode.Result failed = node.silver("update", app.toString(), "undone." + HOST);

    assertThat(failed.exitCode()).as(failed.output()).isNotZero();
    assertThat(failed.stdout()).containsPattern("push\\s.*4 file\\(s\\)");
    assertThat(failed.output()).contains("update failed at start");
    assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("undone/")).contents()).isEmpty();
  }

  @Test
  void aCdnThatIsNotAnS3LocationIsRefusedNamingTheKey() throws Exception {
    TestNode.Result update =
        node.silver("update", app("badcdn", "cdn = https://s3.example.com/x").toString(), HOST);
    assertThat(update.exitCode()).isNotZero();
    assertThat(update.output())
        .contains("app.ini:5: cdn = 'https://s3.example.com/x' is not an S3 location");

    TestNode.Result set = node.silver("global-config", "--set", "cdn=my-bucket/site");
    assertThat(set.exitCode()).isNotZero();
    assertThat(set.output()).contains("cdn = 'my-bucket/site' is not an S3 location");
  }

  /**
   * An app named {@code name} with a style sheet marked with its name, and app.ini {@code line}.
   */
  private static Path app(String name, String line) throws Exception {
    Path app = dir.resolve("apps").resolve(name + "-" + System.nanoTime());
    Map<String, String> files =
        Map.of(
            "app.ini",
            "[production]\napp_name = "
                + name
                + "\nruntime = command\nrunner = python3 app.py\n"
                + line
                + "\n",
            "app.py",
            APP_PY,
            "static/css/site.css",
            "/* " + name + " */\n" + CSS,
            "static/js/tiny.js",
            "var x;\n");
    for (Map.Entry<String, String> f : files.entrySet()) {
      Files.createDirectories(app.resolve(f.getKey()).getParent());
      Files.writeString(app.resolve(f.getKey()), f.getValue());
    }
    Files.createDirectories(app.resolve("static/img"));
    Files.write(app.resolve("static/img/dot.png"), new byte[] {1, 2, 3});
    return app;
  }

  private static ResponseBytes<GetObjectResponse> object(String key) {
    return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
  }

  private static String gunzip(byte[] bytes) throws Exception {
    try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static TestNode.Result ok(TestNode.Result r) {
    assertThat(r.exitCode()).as(r.output()).isZero();
    return r;
  }
}
