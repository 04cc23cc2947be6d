package org.silverlining.node.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.Node;
import org.silverlining.node.TestApps;

/** The management API of a real node on a free port. */
class AdminApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static Node node;
  static HttpClient http;
  static String token;
  static String instance;

  @BeforeAll
  static void startNodeWithAStaticSite() throws Exception {
    node = TestApps.startNode(dir.resolve("node"));
    token = new Tokens(node.layout().tokensFile()).create("ann");
    Path site =
        TestApps.write(
            dir.resolve("site"),
            Map.of(
                "app.ini", "[production]\napp_name = site\nruntime = static\n",
                "index.html", "<h1>site</h1>\n"));
    instance = TestApps.deploy(node, "site", "s.test", TestApps.pack(site));
    http = new HttpClient();
    http.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (http != null) {
      http.stop();
    }
    if (node != null) {
      node.close();
    }
  }

  private static Request api(String method, String call) {
    return http.newRequest("127.0.0.1", node.adminPort())
        .method(method)
        .path("/api/v1/" + call)
        .timeout(20, TimeUnit.SECONDS);
  }

  private static Request authorized(String method, String call) {
    return api(method, call).headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + token));
  }

  private static JsonNode json(ContentResponse r) throws Exception {
    assertThat(r.getMediaType()).isEqualTo("application/json");
    return JSON.readTree(r.getContentAsString());
  }

  @Test
  void withoutATokenEveryCallIsRefused() throws Exception {
    ContentResponse r = api("GET", "apps").send();

    assertThat(r.getStatus()).isEqualTo(401);
    assertThat(json(r).get("error").asText()).contains("bearer token is required");
  }

  @Test
  void aWrongTokenIsRefused() throws Exception {
    for (String auth : new String[] {"Bearer silver_wrong", "Bearer " + token + "x", token}) {
      ContentResponse r =
          api("GET", "apps").headers(h -> h.put(HttpHeader.AUTHORIZATION, auth)).send();

      assertThat(r.getStatus()).as(auth).isEqualTo(401);
    }
  }

  @Test
  void aRefusedDeployDoesNothing() throws Exception {
    ContentResponse r =
        api("POST", "deploy?app=evil&location=s.test&replace=true")
            .headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer nope"))
            .send();

    assertThat(r.getStatus()).isEqualTo(401);
    assertThat(json(authorized("GET", "apps").send()).get("locations").get(0).get("app").asText())
        .isEqualTo("site");
  }

  @Test
  void theNodeDescribesItself() throws Exception {
    ContentResponse r = authorized("GET", "").send();

    assertThat(r.getStatus()).isEqualTo(200);
    JsonNode about = json(r);
    assertThat(about.get("node").asText()).isEqualTo("t");
    assertThat(about.get("http_port").asInt()).isEqualTo(node.httpPort());
  }

  @Test
  void appsListsTheAppsInstancesAndLocationsAsJson() throws Exception {
    ContentResponse r = authorized("GET", "apps").send();

    assertThat(r.getStatus()).isEqualTo(200);
    JsonNode q = json(r);
    JsonNode app = q.get("apps").get(0);
    assertThat(app.get("name").asText()).isEqualTo("site");
    assertThat(app.get("disabled").asBoolean()).isFalse();
    JsonNode i = app.get("instances").get(0);
    assertThat(i.get("name").asText()).isEqualTo(instance);
    assertThat(i.get("status").asText()).isEqualTo("ready");
    assertThat(i.get("location").asText()).isEqualTo("s.test");
    assertThat(i.get("detail").asText()).isEqualTo("deployed by test");
    JsonNode l = q.get("locations").get(0);
    assertThat(l.get("location").asText()).isEqualTo("s.test");
    assertThat(l.get("active").asText()).isEqualTo(instance);
    assertThat(l.get("urls").get(0).asText()).isEqualTo("http://s.test:" + node.httpPort() + "/");
  }

  @Test
  void anUnknownCallIsNotFound() throws Exception {
    ContentResponse r = authorized("GET", "nothing-here").send();

    assertThat(r.getStatus()).isEqualTo(404);
    assertThat(json(r).get("error").asText()).contains("no API call GET /api/v1/nothing-here");
  }

  @Test
  void disablingAnAppOverTheApiTakesItOffTheFrontUntilItIsEnabled() throws Exception {
    Request front =
        http.newRequest("127.0.0.1", node.httpPort())
            .headers(h -> h.put(HttpHeader.HOST, "s.test"));
    assertThat(front.send().getStatus()).isEqualTo(200);

    ContentResponse off = authorized("POST", "disable?app=site").send();
    assertThat(json(off).get("disabled").asBoolean()).isTrue();
    ContentResponse page =
        http.newRequest("127.0.0.1", node.httpPort())
            .headers(h -> h.put(HttpHeader.HOST, "s.test"))
            .send();
    assertThat(page.getStatus()).isEqualTo(503);

    authorized("POST", "enable?location=s.test").send();
    ContentResponse back =
        http.newRequest("127.0.0.1", node.httpPort())
            .headers(h -> h.put(HttpHeader.HOST, "s.test"))
            .send();
    assertThat(back.getStatus()).isEqualTo(200);
    assertThat(back.getContentAsString()).isEqualTo("<h1>site</h1>\n");
  }

  @Test
  void theApiIsNotReachableThroughTheFront() throws Exception {
    ContentResponse r =
        http.newRequest("127.0.0.1", node.httpPort())
            .path("/api/v1/apps")
            .headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + token))
            .send();

    assertThat(r.getStatus()).isEqualTo(404);
    assertThat(r.getContentAsString()).doesNotContain("site.");
  }

  @Test
  void aDeployWithoutRequiredParametersIsABadRequest() throws Exception {
    ContentResponse r = authorized(HttpMethod.POST.asString(), "deploy?app=site").send();

    assertThat(r.getStatus()).isEqualTo(400);
    assertThat(json(r).get("error").asText()).contains("'location' is required");
  }

  @Test
  void aParameterOfTheWrongTypeIsABadRequestThatNamesIt() throws Exception {
    ContentResponse r = authorized("GET", "logs?location=s.test&n=abc").send();

    assertThat(r.getStatus()).isEqualTo(400);
    JsonNode error = json(r);
    assertThat(error.get("parameter").asText()).isEqualTo("n");
    assertThat(error.get("error").asText())
        .isEqualTo("the parameter 'n' is a whole number, not 'abc'");
  }

  @Test
  void aFlagIsTrueOrFalse() throws Exception {
    ContentResponse r = authorized("GET", "global-config?show_secrets=yes").send();

    assertThat(r.getStatus()).isEqualTo(400);
    assertThat(json(r).get("parameter").asText()).isEqualTo("show_secrets");
  }

  @Test
  void logsGivesTheLastLinesFromTheRotatedFileTooWhenTheCurrentOneHasFewer() throws Exception {
    Path log = node.layout().appLog("site");
    java.nio.file.Files.createDirectories(log.getParent());
    java.nio.file.Files.writeString(log.resolveSibling("app.log.1"), "one\ntwo\nthree\n");
    java.nio.file.Files.writeString(log, "four\nfive\n");

    ContentResponse r = authorized("GET", "logs?location=s.test&n=4").send();

    assertThat(r.getStatus()).isEqualTo(200);
    assertThat(r.getContentAsString()).isEqualTo("two\nthree\nfour\nfive\n");
  }

  @Test
  void aNegativeCountIsABadRequest() throws Exception {
    ContentResponse r = authorized("GET", "logs?location=s.test&n=-1").send();

    assertThat(r.getStatus()).isEqualTo(400);
    assertThat(json(r).get("error").asText()).contains("'n' is at least 0");
  }

  @Test
  void anUnknownParameterIsABadRequestThatSaysWhatTheCallTakes() throws Exception {
    ContentResponse r = authorized("GET", "manifest?location=s.test&instanse=x").send();

    assertThat(r.getStatus()).isEqualTo(400);
    JsonNode error = json(r);
    assertThat(error.get("parameter").asText()).isEqualTo("instanse");
    assertThat(error.get("error").asText())
        .isEqualTo("unknown parameter 'instanse'; this call takes [instance, location]");
  }

  @Test
  void aLocationThatDoesNotParseIsABadRequestNamingLocation() throws Exception {
    ContentResponse r = authorized("GET", "cron?location=" + "a%20b").send();

    assertThat(r.getStatus()).isEqualTo(400);
    assertThat(json(r).get("parameter").asText()).isEqualTo("location");
  }

  @Test
  void aTaskIdThatIsNotANumberIsABadRequestNamingId() throws Exception {
    ContentResponse r = authorized("POST", "tasks/retry?location=s.test&id=seven").send();

    assertThat(r.getStatus()).isEqualTo(400);
    assertThat(json(r).get("parameter").asText()).isEqualTo("id");
  }

  @Test
  void aKnownPathAskedWithAnotherMethodIsNotAllowedAndSaysWhichItTakes() throws Exception {
    ContentResponse r = authorized("GET", "activate?location=s.test&instance=PREV").send();

    assertThat(r.getStatus()).isEqualTo(405);
    assertThat(r.getHeaders().get(HttpHeader.ALLOW)).isEqualTo("POST");
    assertThat(json(r).get("error").asText()).isEqualTo("/api/v1/activate takes POST, not GET");
  }

  @Test
  void aPathWithTwoMethodsAllowsBoth() throws Exception {
    ContentResponse r = authorized("PUT", "global-config").send();

    assertThat(r.getStatus()).isEqualTo(405);
    assertThat(r.getHeaders().get(HttpHeader.ALLOW)).isEqualTo("GET, POST");
  }

  @Test
  void anUnknownCallWithoutATokenIsUnauthorizedNotNotFound() throws Exception {
    ContentResponse r = api("GET", "nothing-here").send();

    assertThat(r.getStatus()).isEqualTo(401);
    assertThat(r.getHeaders().get(HttpHeader.WWW_AUTHENTICATE))
        .isEqualTo("Bearer realm=\"silver\"");
  }

  @Test
  void somethingThatDoesNotExistIsNotFound() throws Exception {
    ContentResponse r = authorized("GET", "deployments?location=nowhere.test").send();

    assertThat(r.getStatus()).isEqualTo(404);
    assertThat(json(r).get("error").asText()).contains("nothing was ever deployed at nowhere.test");
  }

  @Test
  void aStateThatForbidsTheCallIsAConflict() throws Exception {
    ContentResponse r = authorized("POST", "activate?location=s.test&instance=PREV").send();

    assertThat(r.getStatus()).isEqualTo(409);
    assertThat(json(r).get("error").asText()).contains("no previous instance at s.test");
  }

  @Test
  void theNodeAnswersWithAndWithoutTheEndSlash() throws Exception {
    assertThat(json(authorized("GET", "").send()).get("node").asText()).isEqualTo("t");
    ContentResponse r =
        http.newRequest("127.0.0.1", node.adminPort())
            .path("/api/v1")
            .headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + token))
            .send();
    assertThat(json(r).get("node").asText()).isEqualTo("t");
  }

  private static java.util.List<String> fieldsOf(JsonNode n) {
    java.util.List<String> names = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void typedAnswersKeepTheFieldNamesTheCliReads() throws Exception {
    assertThat(fieldsOf(json(authorized("GET", "").send())))
        .containsExactly("node", "version", "http_port", "software", "pid");
    JsonNode history = json(authorized("GET", "config?location=s.test").send());
    assertThat(fieldsOf(history))
        .containsExactly(
            "location",
            "app",
            "active",
            "current",
            "active_revision",
            "active_runs_own",
            "revisions");
    assertThat(fieldsOf(json(authorized("GET", "config/files?location=s.test").send())))
        .containsExactly("location", "revision", "files");
    assertThat(fieldsOf(json(authorized("GET", "cron?location=s.test").send())))
        .containsExactly("location", "app", "jobs");
    assertThat(fieldsOf(json(authorized("POST", "tasks/purge?location=s.test&queue=q").send())))
        .containsExactly("location", "queue", "purged");
  }

  @Test
  void releasesAndSecretAnswersKeepTheFieldNamesTheCliReads() throws Exception {
    JsonNode activated =
        json(authorized("POST", "activate?location=s.test&instance=" + instance).send());
    assertThat(fieldsOf(activated))
        .containsExactly(
            "location",
            "active",
            "changed",
            "config_revision",
            "own_config_revision",
            "config_recorded",
            "config_is_own");
    assertThat(activated.get("changed").asBoolean()).isFalse();
    JsonNode registry = json(authorized("GET", "deployments?location=s.test").send());
    assertThat(fieldsOf(registry)).containsExactly("location", "active", "deployments", "switches");
    assertThat(fieldsOf(registry.get("deployments").get(0)))
        .containsExactly(
            "id",
            "app",
            "instance",
            "status",
            "live",
            "stage",
            "error",
            "started",
            "finished",
            "who",
            "config_revision",
            "checkpoint",
            "previous",
            "vcs",
            "stages");
    assertThat(
            fieldsOf(
                JSON.valueToTree(
                    new org.silverlining.node.deploy.RegistryView.Switch(
                        "rollback", "a", null, "who", "now"))))
        .containsExactly("kind", "instance", "replaced", "who", "at");
    assertThat(fieldsOf(json(authorized("GET", "manifest?location=s.test").send())))
        .containsExactly("location", "instance", "files");
    assertThat(fieldsOf(json(authorized("POST", "enable?location=s.test").send())))
        .containsExactly("app", "disabled");
    JsonNode secret = json(authorized("GET", "secret").send());
    assertThat(fieldsOf(secret)).containsExactly("current", "file", "keys");
    assertThat(fieldsOf(secret.get("keys").get(0)))
        .containsExactly("id", "current", "created", "expires");
    assertThat(
            fieldsOf(
                JSON.valueToTree(
                    new org.silverlining.node.deploy.Rollback.Result(
                        "s.test", "a", null, true, 5, 2, null, null, null))))
        .containsExactly(
            "location", "active", "replaced", "was_running", "live_ms", "config_revision");
    assertThat(
            fieldsOf(
                JSON.valueToTree(
                    new org.silverlining.node.deploy.Rollback.Result(
                        "s.test", "a", "b", true, 5, 2, true, "cp", 7L))))
        .containsExactly(
            "location",
            "active",
            "replaced",
            "was_running",
            "live_ms",
            "config_revision",
            "config_recorded",
            "restored",
            "restore_ms");
    assertThat(
            fieldsOf(
                JSON.valueToTree(
                    new org.silverlining.node.control.Releases.Deactivated("s.test", true))))
        .containsExactly("location", "removed");
  }
}
