package org.silverlining.node.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.silverlining.node.control.ConfigView;
import org.silverlining.node.control.Jobs;
import org.silverlining.node.deploy.RegistryView;
import org.silverlining.node.middleware.Middlewares;
import org.silverlining.node.middleware.PackInfo;
import org.silverlining.node.middleware.Setting;
import org.silverlining.node.state.StateStore;

/** An app's page from the facades' records: every section, its hooks, and escaped text. */
class AppPageTest {
  static final String LOC = "blog.test/";

  @Test
  void theMiddlewareSectionListsThePacksWithRemoveAndAnApplyForm() {
    String html = AppPage.render(data(false), "tok", "1h").toString();
    String section = html.substring(html.indexOf("<section id=\"middleware\""));
    assertThat(section)
        .contains("<tr data-pack=\"password\">", "htpasswd=********, user=ann")
        .contains("data-action=\"remove-middleware\"", "name=\"pack\" value=\"password\"")
        .contains(
            "action=\"/apps/blog/actions/apply-middleware\"", "data-action=\"apply-middleware\"")
        .contains("<label for=\"apply-settings\">", "<textarea id=\"apply-settings\"")
        .contains("<option value=\"headers\">headers</option>", "(secret)")
        .contains("name=\"csrf\" value=\"tok\"");
  }

  @Test
  void settingsAreOneKeyValueALineAndASecretOneIsShownHidden() {
    assertThat(MiddlewareSection.parse("frame=DENY\r\n\n header.X-A = a=b \n"))
        .containsExactly(Map.entry("frame", "DENY"), Map.entry("header.X-A", "a=b"));
    assertThatThrownBy(() -> MiddlewareSection.parse("user=ann\nhunter2"))
        .hasMessageContaining("line 2 of the settings is not KEY=VALUE")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> MiddlewareSection.parse("a=1\na=2"))
        .hasMessageContaining("the setting a is given twice (line 2)");
    PackInfo password =
        new PackInfo("password", "1", "", List.of(new Setting("htpasswd", "hashes", true)));
    assertThat(
            MiddlewareSection.shown(
                Map.of("htpasswd", "ann:$2y$xyz"), java.util.Optional.of(password)))
        .containsExactly("htpasswd = ********");
    assertThat(MiddlewareSection.shown(Map.of("x", "y"), java.util.Optional.empty()))
        .as("an unknown pack's settings: hidden")
        .containsExactly("x = ********");
  }

  @Test
  void showsEverySectionWithItsHooks() {
    String html = AppPage.render(data(false), "tok3n", "24h").toString();
    for (String g : List.of("requests", "latency", "errors", "cpu", "memory")) {
      assertThat(html).contains("data-graph=\"" + g + "\"");
    }
    assertThat(html)
        .contains("data-graphs=\"/apps/blog/graphs?location=blog.test%2F&amp;span=24h\"")
        .contains("<tr data-deployment=\"7\" class=\"live\">")
        .contains("<tr data-deployment=\"6\">")
        .contains("data-log=\"/apps/blog/log\"")
        .contains("data-action=\"disable\"")
        .doesNotContain("data-action=\"enable\"")
        .contains("data-action=\"rollback\"")
        .contains("data-action=\"activate\"")
        .contains("data-action=\"run-cron\"")
        .contains("data-action=\"retry\"")
        .contains("data-action=\"backup\"")
        .contains("data-action=\"revert\"")
        .contains("branch: main")
        .contains("commit: abc123")
        .contains("name=\"csrf\" value=\"tok3n\"")
        .contains("ZeroDivisionError: division by zero")
        .contains("<strong aria-current=\"true\">24h</strong>");
    // Every action is a POST form; no script or style is inline (the policy is default-src 'self').
    assertThat(html)
        .doesNotContain("<script")
        .doesNotContain("style=")
        .doesNotContainPattern(" on[a-z]+=");
  }

  @Test
  void aDisabledAppOffersEnable() {
    String html = AppPage.render(data(true), "t", "1h").toString();
    assertThat(html).contains("data-action=\"enable\"").doesNotContain("data-action=\"disable\"");
  }

  @Test
  void textFromTheAppIsEscaped() {
    AppPageData d = data(false);
    Map<String, Object> errors = new LinkedHashMap<>();
    errors.put(
        "groups",
        List.of(
            Map.of(
                "type", "<script>alert(1)</script>",
                "message", "\"quoted\"",
                "kind", "log",
                "count", 1,
                "sample", "x",
                "first_seen", "2026-12-07T10:00:00Z",
                "last_seen", "2026-12-07T10:00:00Z")));
    d =
        new AppPageData(
            d.app(),
            false,
            d.instances(),
            d.locations(),
            d.location(),
            d.deployments(),
            d.cron(),
            d.tasks(),
            d.backups(),
            d.config(),
            AppPageData.Part.of(errors),
            d.middleware(),
            d.packs());
    String html = AppPage.render(d, "t", "1h").toString();
    assertThat(html)
        .doesNotContain("<script>alert(1)")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;: &quot;quoted&quot;");
  }

  @Test
  void aPartThatCannotBeReadSaysWhyAndTheRestStillShows() {
    AppPageData d = data(false);
    d =
        new AppPageData(
            d.app(),
            false,
            d.instances(),
            d.locations(),
            d.location(),
            d.deployments(),
            d.cron(),
            d.tasks(),
            AppPageData.Part.missing("nothing is live at blog.test/"),
            d.config(),
            d.errors(),
            d.middleware(),
            d.packs());
    String html = AppPage.render(d, "t", "1h").toString();
    assertThat(html)
        .contains("<p class=\"problem\">nothing is live at blog.test/</p>")
        .contains("data-action=\"revert\"");
  }

  static AppPageData data(boolean disabled) {
    Map<String, Object> instance = new LinkedHashMap<>();
    instance.put("name", "blog.20261207_002");
    instance.put("status", "active");
    instance.put("location", LOC);
    instance.put("created", "2026-12-07T10:00:00Z");
    instance.put("running", true);
    instance.put(
        "processes", List.of(Map.of("pid", 4242, "port", 20001, "state", "ready", "restarts", 0)));
    Map<String, Object> location = new LinkedHashMap<>();
    location.put("location", LOC);
    location.put("app", "blog");
    location.put("active", "blog.20261207_002");
    location.put("previous", "blog.20261207_001");
    location.put("urls", List.of("http://blog.test:8080/"));
    RegistryView.Registry registry =
        new RegistryView.Registry(
            LOC,
            "blog.20261207_002",
            List.of(
                deployment(
                    7, "blog.20261207_002", true, Map.of("branch", "main", "commit", "abc123")),
                deployment(6, "blog.20261207_001", false, Map.of())),
            List.of());
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("job", "nightly");
    job.put("kind", "http");
    job.put("schedule", "0 3 * * *");
    job.put("zone", "UTC");
    job.put("next", "2026-12-08T03:00:00Z");
    job.put("running", false);
    job.put(
        "last",
        new StateStore.CronRunRecord(
            LOC, "nightly", "2026-12-07T03:00:00Z", "2026-12-07T03:00:00Z", 12, "ok", ""));
    Map<String, Object> tasks = new LinkedHashMap<>();
    tasks.put(
        "queues", List.of(Map.of("queue", "default", "rate", "5/s", "counts", Map.of("dead", 1))));
    Map<String, Object> dead = new LinkedHashMap<>();
    dead.put("id", 12L);
    dead.put("queue", "default");
    dead.put("name", null);
    dead.put("method", "POST");
    dead.put("path", "/tasks/mail");
    dead.put("state", "dead");
    dead.put("retries", 3);
    dead.put("last_result", "HTTP 500");
    tasks.put("failures", List.of(dead));
    Map<String, Object> backups = new LinkedHashMap<>();
    backups.put("schedule", null);
    backups.put("services", List.of("files"));
    backups.put(
        "backups",
        List.of(
            Map.of(
                "id",
                "20261207T100000Z",
                "kind",
                "checkpoint",
                "created",
                "2026-12-07T10:00:00Z",
                "reason",
                "before update",
                "services",
                List.of("files"),
                "bytes",
                2048L)));
    ConfigView.History config =
        new ConfigView.History(
            LOC,
            "blog",
            "blog.20261207_002",
            2,
            2,
            true,
            List.of(
                new ConfigView.RevisionEntry(2, "ann", "2026-12-07T10:00:00Z", "new key", 1),
                new ConfigView.RevisionEntry(1, "ann", "2026-12-06T10:00:00Z", "first", 1)));
    Map<String, Object> errors = new LinkedHashMap<>();
    errors.put(
        "groups",
        List.of(
            Map.of(
                "type",
                "ZeroDivisionError",
                "message",
                "division by zero",
                "kind",
                "log",
                "count",
                3,
                "sample",
                "Traceback",
                "first_seen",
                "2026-12-07T10:00:00Z",
                "last_seen",
                "2026-12-07T10:05:00Z")));
    return new AppPageData(
        "blog",
        disabled,
        List.of(instance),
        List.of(location),
        LOC,
        AppPageData.Part.of(registry),
        AppPageData.Part.of(new Jobs.CronJobs(LOC, "blog", List.of(job))),
        AppPageData.Part.of(tasks),
        AppPageData.Part.of(backups),
        AppPageData.Part.of(config),
        AppPageData.Part.of(errors),
        AppPageData.Part.of(
            new Middlewares.Stack(
                LOC,
                2,
                List.of(
                    new Middlewares.PackView(
                        "password",
                        "1",
                        new TreeMap<>(Map.of("user", "ann", "htpasswd", Setting.HIDDEN)))))),
        List.of(
            new PackInfo(
                "headers",
                "1",
                "security headers",
                List.of(new Setting("header.", "any header", false))),
            new PackInfo(
                "password",
                "1",
                "a password",
                List.of(new Setting("htpasswd", "the users' hashes", true)))));
  }

  private static Map<String, Object> deployment(
      long id, String instance, boolean live, Map<String, Object> vcs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("instance", instance);
    m.put("status", "ok");
    m.put("live", live);
    m.put("stage", null);
    m.put("error", null);
    m.put("started", "2026-12-07T10:00:00Z");
    m.put("who", "ann");
    m.put("config_revision", 2);
    m.put("vcs", vcs);
    m.put("stages", Map.of("upload", 12L, "build", 800L));
    return m;
  }
}
