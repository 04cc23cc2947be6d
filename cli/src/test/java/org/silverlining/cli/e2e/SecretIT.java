package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.api.KeyRing;

/**
 * The rotating platform secret and secret global values with the real CLI against a real node, and
 * a Java app that signs and verifies through the app API: a signature made before a rotation
 * verifies after it and fails once the grace period is over; no secret shows in command output, the
 * node's logs or the app process's environment.
 */
class SecretIT {
  private static final String LOCATION = "sign.test";
  private static final String PAYMENT_KEY = "pk-live-5e8d1c0a97";

  /**
   * GET /sign?TEXT: Silver.keyRing().sign(TEXT); /verify?TEXT&SIG: valid or invalid; /current: the
   * current key id; /pid: the process id; /global?KEY: Silver.globalConfig(KEY).
   */
  private static final String SIGNER_JAVA =
      """
      import com.sun.net.httpserver.HttpServer;
      import java.net.InetSocketAddress;
      import java.net.URLDecoder;
      import java.nio.charset.StandardCharsets;
      import org.silverlining.api.Silver;

      public class Signer {
        public static void main(String[] args) throws Exception {
          int port = Integer.parseInt(System.getenv("PORT"));
          HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
          server.createContext("/", x -> {
            String path = x.getRequestURI().getPath();
            String q = x.getRequestURI().getRawQuery();
            String[] p = q == null ? new String[0] : q.split("&");
            for (int i = 0; i < p.length; i++) {
              p[i] = URLDecoder.decode(p[i], StandardCharsets.UTF_8);
            }
            String body = switch (path) {
              case "/sign" -> Silver.keyRing().sign(p[0]);
              case "/verify" -> Silver.keyRing().verify(p[0], p[1]) ? "valid" : "invalid";
              case "/current" -> Silver.keyRing().currentId();
              case "/pid" -> Long.toString(ProcessHandle.current().pid());
              case "/global" -> Silver.globalConfig(p[0]).orElse("(unset)");
              default -> "ok";
            };
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, b.length);
            x.getResponseBody().write(b);
            x.close();
          });
          server.start();
        }
      }
      """;

  @TempDir static Path dir;
  static TestNode node;
  static final List<String> outputs = new ArrayList<>();

  @BeforeAll
  static void deployTheSigner() throws Exception {
    node = TestNode.start(dir);
    Path app = Files.createDirectories(dir.resolve("signer"));
    Files.writeString(app.resolve("Signer.java"), SIGNER_JAVA);
    Path api = Path.of(KeyRing.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    copy(api, app.resolve("app-api"));
    Files.writeString(
        app.resolve("app.ini"),
        "[production]\napp_name = signer\nruntime = command\n"
            + "runner = java -Xmx48m -XX:TieredStopAtLevel=1 -cp app-api.jar:app-api Signer.java\n");
    TestNode.Result r = silver("update", app.toString(), LOCATION);
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  /** The app API as the build made it: a jar, or its classes folder. */
  private static void copy(Path api, Path target) throws Exception {
    if (Files.isRegularFile(api)) {
      Files.copy(api, target.resolveSibling("app-api.jar"));
      return;
    }
    try (Stream<Path> s = Files.walk(api)) {
      for (Path p : s.toList()) {
        Path t = target.resolve(api.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  private static TestNode.Result silver(String... args) throws Exception {
    TestNode.Result r = node.silver(args);
    outputs.add(r.output());
    return r;
  }

  private static String app(String path) throws Exception {
    var r = node.get(LOCATION, path);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  /** Every form the key material of the node's ring could be printed in. */
  private static List<String> keyMaterial() throws Exception {
    String json = Files.readString(node.root().resolve("secrets/keyring.json"));
    List<String> all = new ArrayList<>();
    for (String line : json.split("\n")) {
      if (line.contains("\"key\"")) {
        String b64 = line.replaceAll(".*\"key\" : \"([^\"]+)\".*", "$1");
        byte[] raw = Base64.getDecoder().decode(b64);
        all.add(b64);
        all.add(Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
        all.add(java.util.HexFormat.of().formatHex(raw));
      }
    }
    assertThat(all).isNotEmpty();
    return all;
  }

  @Test
  void aSignatureMadeBeforeARotationVerifiesAfterItAndFailsAfterTheGrace() throws Exception {
    String oldKey = app("/current");
    String before = app("/sign?order-17");
    assertThat(before).startsWith(oldKey + ".");
    List<String> oldMaterial = keyMaterial();

    long rotatedAt = System.nanoTime(); // or a little before
    TestNode.Result rotate = silver("secret", "rotate", "--grace", "8s");
    assertThat(rotate.exitCode()).as(rotate.output()).isZero();
    assertThat(rotate.stdout()).contains("current", "retired", oldKey);

    String newKey = app("/current");
    assertThat(newKey).isNotEqualTo(oldKey);
    assertThat(app("/verify?order-17&" + before)).isEqualTo("valid");
    assertThat(app("/verify?order-18&" + before)).isEqualTo("invalid");
    String after = app("/sign?order-17");
    assertThat(after).startsWith(newKey + ".");

    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> app("/verify?order-17&" + before).equals("invalid"));
    // Not before the grace is over (a lower bound: a slow machine only makes it longer).
    assertThat(Duration.ofNanos(System.nanoTime() - rotatedAt))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(7));
    assertThat(app("/verify?order-17&" + after)).isEqualTo("valid");
    // The node removed the key from its files too, while running.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !silver("secret").stdout().contains("retired"));
    TestNode.Result list = silver("secret");
    assertThat(list.stdout()).contains(newKey).doesNotContain(oldKey, "retired");

    for (String out : outputs) {
      for (String key : oldMaterial) {
        assertThat(out).doesNotContain(key);
      }
    }
  }

  @Test
  void aGraceThatIsNotADurationIsRefusedSayingWhatIsAccepted() throws Exception {
    TestNode.Result r = silver("secret", "rotate", "--grace", "7 days");

    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("e.g. 7d, 12h, 30m, 45s, or 0").doesNotContain("\tat ");
  }

  @Test
  void noSecretIsInCommandOutputTheLogsOrTheAppsEnvironmentByDefault() throws Exception {
    TestNode.Result set =
        silver("global-config", "--set", "PAYMENT_KEY=" + PAYMENT_KEY, "--secret");
    assertThat(set.exitCode()).as(set.output()).isZero();
    silver("global-config", "--set", "SUPPORT_EMAIL=ops@example.org");

    assertThat(app("/global?PAYMENT_KEY")).isEqualTo(PAYMENT_KEY);
    TestNode.Result piped =
        node.run(List.of("global-config", "--set", "WEBHOOK_SECRET", "--secret"), "wh-9d2e\n");
    outputs.add(piped.output());
    assertThat(piped.exitCode()).as(piped.output()).isZero();
    assertThat(app("/global?WEBHOOK_SECRET")).isEqualTo("wh-9d2e");
    TestNode.Result shown = silver("global-config");
    assertThat(shown.stdout())
        .contains("PAYMENT_KEY = ********", "SUPPORT_EMAIL = ops@example.org", "--show-secrets");
    assertThat(silver("global-config", "--json").stdout()).doesNotContain(PAYMENT_KEY);
    assertThat(silver("global-config", "--app", "signer").stdout()).doesNotContain(PAYMENT_KEY);
    assertThat(node.silver("global-config", "--show-secrets").stdout())
        .contains("PAYMENT_KEY = " + PAYMENT_KEY);
    silver("secret");
    silver("secret", "--json");
    silver("query");
    silver("config-query", LOCATION);

    List<String> secrets = new ArrayList<>(keyMaterial());
    secrets.add(PAYMENT_KEY);
    secrets.add("wh-9d2e");
    String environ =
        new String(
            Files.readAllBytes(Path.of("/proc/" + app("/pid") + "/environ")),
            StandardCharsets.UTF_8);
    assertThat(environ).contains("SILVER_SECRETS_FILE=", "SILVER_GLOBAL_CONFIG=");
    // The access log is written in the background: wait for the line of the last request.
    Path accessLog = node.root().resolve("logs/access.log");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Files.exists(accessLog) && Files.readString(accessLog).contains(" /pid "));
    List<String> logs = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p :
          s.filter(Files::isRegularFile)
              .filter(p -> p.getFileName().toString().endsWith(".log"))
              .toList()) {
        logs.add(Files.readString(p));
      }
    }
    for (String secret : secrets) {
      assertThat(environ).doesNotContain(secret);
      for (String log : logs) {
        assertThat(log).doesNotContain(secret);
      }
      for (String out : outputs) {
        assertThat(out).doesNotContain(secret);
      }
    }
    Path appRing = node.root().resolve("apps/signer/keyring.json");
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(appRing)))
        .isEqualTo("rw-------");
  }
}
