package org.silverlining.node.dashboard;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartConfig;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.silverlining.node.api.ApiJson;
import org.silverlining.node.control.Backups;
import org.silverlining.node.control.ConfigView;
import org.silverlining.node.control.Jobs;
import org.silverlining.node.control.Locations;
import org.silverlining.node.control.NodeStatus;
import org.silverlining.node.control.Releases;
import org.silverlining.node.deploy.Deployer;
import org.silverlining.node.errors.InvalidParameterException;
import org.silverlining.node.errors.NotFoundException;
import org.silverlining.node.errors.TooLargeException;
import org.silverlining.node.layout.Trees;
import org.silverlining.node.logs.LogTail;
import org.silverlining.node.middleware.Middlewares;
import org.silverlining.node.monitor.Monitor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An app's page ({@code /apps/NAME}) with its graphs' data, live log, deployment diffs and actions,
 * and the deploy page ({@code /deploy}) with the pages that follow each deployment it starts.
 */
final class AppPagesArea implements DashboardArea {
  private static final Logger log = LoggerFactory.getLogger(AppPagesArea.class);

  private final NodeStatus status;
  private final Releases releases;
  private final Monitor monitor;
  private final Function<String, Path> appLog;
  private final AppPageSource source;
  private final AppActions actions;
  private final DeployPage deploys;
  private final DeployRuns runs = new DeployRuns();
  private final Path scratch;
  private final ExecutorService workers;

  AppPagesArea(
      NodeStatus status,
      Releases releases,
      Jobs jobs,
      Backups backups,
      ConfigView config,
      Deployer deployer,
      Monitor monitor,
      Middlewares middlewares,
      Function<String, Path> appLog,
      Path scratch,
      ExecutorService workers) {
    this.status = status;
    this.releases = releases;
    this.monitor = monitor;
    this.appLog = appLog;
    this.scratch = scratch;
    this.workers = workers;
    this.source = new AppPageSource(status, releases, jobs, backups, config, monitor, middlewares);
    this.actions = new AppActions(status, releases, jobs, backups, config, deployer, middlewares);
    this.deploys = new DeployPage(deployer, new ZipUpload());
  }

  @Override
  public void addPages(PageRoutes routes) {
    routes
        .nav("Deploy", DeployPage.PATH)
        .asset("uplot.js", "text/javascript", UPLOT + "uPlot.iife.min.js")
        .asset("uplot.css", "text/css", UPLOT + "uPlot.min.css")
        .asset("app-page.js", "text/javascript", OWN + "app-page.js")
        .page("/apps/{app}", this::appPage)
        .raw("/apps/{app}/graphs", this::graphs)
        .raw("/apps/{app}/log", this::log)
        .page("/apps/{app}/diff", this::diff)
        .page("/apps/{app}/actions/{action}/confirm", this::confirm)
        .action("/apps/{app}/actions/{action}", this::act)
        .page(DeployPage.PATH, r -> new Page("Deploy an app", DeployPage.form(r.csrfToken())))
        .action(DeployPage.PATH, this::deploy)
        .page("/deploys/{id}", this::deployment);
  }

  private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
  private static final String OWN = "org/silverlining/node/dashboard/";

  private static final String SCRIPT = "/static/app-page.js";

  private Page appPage(PageRequest r) throws Exception {
    String app = r.path("app");
    AppPageData d = source.read(app, r.query("location"));
    return new Page(app, AppPage.render(d, r.csrfToken(), GraphSeries.span(r.query("span"))))
        .withScript("/static/uplot.js")
        .withScript(SCRIPT);
  }

  private void graphs(PageRequest r) throws Exception {
    String app = r.path("app");
    String location = r.query("location");
    if (location == null || !status.appAt(location).equals(app)) {
      throw new NotFoundException(app + " does not serve " + location);
    }
    String span = GraphSeries.span(r.query("span"));
    Map<String, Object> stats =
        monitor.stats().location(app, Locations.key(location), GraphSeries.SPANS.get(span));
    byte[] json = ApiJson.ANSWERS.writeValueAsBytes(GraphSeries.of(stats));
    r.response().setStatus(200);
    r.response().getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    r.response().write(true, ByteBuffer.wrap(json), r.callback());
  }

  private void log(PageRequest r) throws Exception {
    String app = r.path("app");
    source.requireApp(app);
    r.response().setStatus(200);
    r.response().getHeaders().put(HttpHeader.CONTENT_TYPE, LogEvents.MEDIA_TYPE);
    try (OutputStream out = Content.Sink.asOutputStream(r.response())) {
      LogEvents.stream(new LogTail(appLog.apply(app)), out, r::sessionLive);
    } catch (java.io.IOException e) {
      // the page was left or closed
    }
    r.callback().succeeded();
  }

  private Page diff(PageRequest r) throws Exception {
    String app = r.path("app");
    String location = required(r.query("location"), "location");
    if (!status.appAt(location).equals(app)) {
      throw new NotFoundException(app + " does not serve " + location);
    }
    Releases.Manifest a = releases.manifest(location, required(r.query("a"), "a"));
    Releases.Manifest b = releases.manifest(location, required(r.query("b"), "b"));
    return new Page(
        "Files of " + app + ": " + a.instance() + " → " + b.instance(), DiffPage.render(app, a, b));
  }

  private Page confirm(PageRequest r) throws Exception {
    String app = r.path("app");
    AppAction a = action(r.path("action"));
    Map<String, String> params = AppActions.params(a, r::query);
    source.requireApp(app);
    return new Page(
        a.label + ": " + app,
        AppActions.confirmation(
            app, a, params, actions.details(a, params, r::held), r.csrfToken()));
  }

  /**
   * Unconfirmed, the confirmation page; confirmed, the action, then the app's page with the
   * outcome.
   */
  private String act(PageRequest r) throws Exception {
    String app = r.path("app");
    AppAction a = action(r.path("action"));
    Map<String, String> params = AppActions.params(a, r::field);
    if (!"yes".equals(r.field(AppActions.CONFIRMED))) {
      if (a == AppAction.APPLY_MIDDLEWARE) {
        params = actions.holdSettings(params, r.field(MiddlewareSection.SETTINGS), r::hold);
      }
      return AppActions.confirmPath(app, a, params);
    }
    r.flash(actions.perform(app, a, params, r.user(), r::held));
    if (params.containsKey(MiddlewareSection.HELD)) {
      r.release(params.get(MiddlewareSection.HELD));
    }
    return AppPage.path(app, params.get("location"))
        + (a.hook.endsWith("-middleware") ? "#middleware" : "");
  }

  private static AppAction action(String hook) {
    return AppAction.ofHook(hook)
        .orElseThrow(() -> new NotFoundException("no action " + hook + " on an app's page"));
  }

  private static String required(String value, String name) {
    if (value == null || value.isBlank()) {
      throw InvalidParameterException.missing(name);
    }
    return value;
  }

  /**
   * The deploy form's post: the zip is checked and packed now (a refusal comes back to the form),
   * the deployment runs on a worker, and the browser goes to the page that follows it.
   */
  private String deploy(PageRequest r) throws Exception {
    Path work = Files.createTempDirectory(Files.createDirectories(scratch), "dashboard-deploy-");
    boolean started = false;
    try {
      String type = r.request().getHeaders().get(HttpHeader.CONTENT_TYPE);
      if (type == null
          || !type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
        throw new InvalidParameterException(
            ZipUpload.FIELD, "the deploy form sends its zip as multipart/form-data");
      }
      MultiPartConfig config =
          new MultiPartConfig.Builder()
              .location(work)
              .maxParts(4)
              .maxPartSize(ZipUpload.MAX_ZIP_BYTES)
              .maxSize(ZipUpload.MAX_ZIP_BYTES + 64 * 1024)
              .maxMemoryPartSize(64 * 1024)
              .build();
      Path zip = work.resolve("upload.zip");
      String location;
      try (MultiPartFormData.Parts parts =
          MultiPartFormData.getParts(r.request(), r.request(), type, config)) {
        MultiPart.Part file = parts.getFirst(ZipUpload.FIELD);
        if (file == null || file.getLength() == 0) {
          throw new InvalidParameterException(
              ZipUpload.FIELD, "choose a zip of the app's folder to upload");
        }
        file.writeTo(zip);
        MultiPart.Part where = parts.getFirst("location");
        location =
            where == null
                ? null
                : where.getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
      } catch (IllegalStateException | java.util.concurrent.CompletionException e) {
        throw new TooLargeException(
            "the upload was refused: "
                + rootMessage(e)
                + " (at most "
                + ZipUpload.MAX_ZIP_BYTES / (1024 * 1024)
                + " MiB)");
      }
      DeployPage.Prepared p = deploys.prepare(zip, location, work);
      Deployer.Request req = deploys.admit(p, r.user());
      DeployRuns.Run run = runs.start(p.app(), p.location(), r.user());
      workers.execute(
          () -> {
            try {
              deploys.deploy(p, req, run);
            } finally {
              try {
                Trees.delete(work);
              } catch (java.io.IOException e) {
                log.warn("cannot delete {}: {}", work, e.toString());
              }
            }
          });
      started = true;
      return "/deploys/" + run.id;
    } finally {
      if (!started) {
        Trees.delete(work);
      }
    }
  }

  private Page deployment(PageRequest r) {
    DeployRuns.Run run;
    try {
      run = runs.find(Long.parseLong(r.path("id")));
    } catch (NumberFormatException e) {
      run = null;
    }
    if (run == null) {
      throw new NotFoundException(
          "no deployment " + r.path("id") + " started from this dashboard since the node started");
    }
    return new Page("Deploying " + run.app, DeployPage.progress(run)).withScript(SCRIPT);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
