package org.silverlining.node.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.silverlining.core.AppArchive;
import org.silverlining.core.AppConfig;
import org.silverlining.core.Hashing;
import org.silverlining.core.InvalidConfigException;
import org.silverlining.node.config.ConfigChange;
import org.silverlining.node.deploy.DeployFailedException;
import org.silverlining.node.deploy.Deployer;
import org.silverlining.node.errors.ConflictException;
import org.silverlining.node.errors.InvalidParameterException;
import org.silverlining.node.layout.Trees;

/**
 * The deploy page: a form that takes a zip of an app folder and a location, and the deployment it
 * starts through the same pipeline as {@code silver update} ({@link Deployer}). The upload is
 * checked and packed before anything starts, so a refusal is immediate; the deployment then runs on
 * its own thread, its stages shown by the page that follows it.
 */
final class DeployPage {
  static final String PATH = "/deploy";

  private final Deployer deployer;
  private final ZipUpload zips;

  DeployPage(Deployer deployer, ZipUpload zips) {
    this.deployer = deployer;
    this.zips = zips;
  }

  /** The form, posting to {@link #PATH} with the session's token {@code csrf} in its query. */
  static Html form(String csrf) {
    Html h = new Html();
    h.element(
        "p",
        "Upload an app's folder as a zip: it is deployed as silver update APP_DIR LOCATION would"
            + " (built, started, tested, switched to only once it answers; what is live stays live"
            + " when a stage fails).");
    // A multipart form carries the token in its action's query: the body is the upload.
    h.open(
        "form",
        "method",
        "post",
        "enctype",
        "multipart/form-data",
        "action",
        PATH + "?" + PageRequest.CSRF_FIELD + "=" + csrf);
    h.open("p")
        .element(
            "label",
            "App folder as a zip (at most " + ZipUpload.MAX_ZIP_BYTES / (1024 * 1024) + " MiB)",
            "for",
            "zip")
        .empty("br");
    h.empty(
        "input",
        "type",
        "file",
        "id",
        "zip",
        "name",
        ZipUpload.FIELD,
        "accept",
        ".zip,application/zip",
        "required",
        "required");
    h.close();
    h.open("p")
        .element("label", "Location (empty: the app's default_location)", "for", "location")
        .empty("br");
    h.empty(
        "input",
        "type",
        "text",
        "id",
        "location",
        "name",
        "location",
        "size",
        "40",
        "placeholder",
        "www.example.com");
    h.close();
    h.open("p").element("button", "Deploy", "type", "submit", "data-action", "deploy").close();
    h.close();
    return h;
  }

  /** An app ready to deploy: its name, where, and its packed archive with the archive's sha256. */
  record Prepared(
      String app, String location, Path archive, String sha256, int files, List<String> warnings) {}

  /**
   * Unpacks {@code zip} under {@code work} and packs its app as {@code silver update} does; refused
   * ({@link InvalidParameterException}) when the zip is unsafe, too big or holds no valid app, or
   * when no location is given and the app has no {@code default_location}.
   */
  Prepared prepare(Path zip, String location, Path work) throws IOException {
    Path appDir = zips.unpack(zip, work.resolve("app"));
    AppConfig config;
    try {
      config = AppConfig.load(appDir, false);
    } catch (InvalidConfigException e) {
      throw new InvalidParameterException(ZipUpload.FIELD, "the app in the zip: " + e.getMessage());
    }
    String where =
        location != null && !location.isBlank() ? location.strip() : config.defaultLocation();
    if (where == null || where.isEmpty()) {
      throw new InvalidParameterException(
          "location", "give a location: the app.ini in the zip has no default_location");
    }
    Path archive = work.resolve("app.tar.gz");
    List<AppArchive.FileEntry> files;
    try (OutputStream out = Files.newOutputStream(archive)) {
      files = AppArchive.pack(appDir, out);
    }
    Trees.delete(appDir);
    return new Prepared(
        config.appName(), where, archive, Hashing.sha256(archive), files.size(), config.warnings());
  }

  /**
   * Checks that {@code p} may be deployed at all (a valid location that is not another app's),
   * before anything starts.
   */
  Deployer.Request admit(Prepared p, String who) throws Exception {
    Deployer.Request req =
        new Deployer.Request(p.app(), p.location(), false, p.sha256(), who, "{}");
    try {
      deployer.admit(req);
    } catch (DeployFailedException e) {
      if (e.getMessage().startsWith("invalid location")) {
        throw new InvalidParameterException("location", e.getMessage());
      }
      throw new ConflictException(e.getMessage());
    }
    return req;
  }

  /**
   * Deploys {@code p} as {@code req}, reporting to {@code run}, and ends the run with the outcome.
   */
  void deploy(Prepared p, Deployer.Request req, DeployRuns.Run run) {
    run.finished("package", 0, p.files() + " files");
    p.warnings().forEach(w -> run.note("Warning: " + w));
    try (InputStream in = Files.newInputStream(p.archive())) {
      String instance = deployer.deploy(req, in, ConfigChange.KEEP, run);
      run.end(true, instance + " serves " + p.location() + " now.");
    } catch (DeployFailedException e) {
      StringBuilder b =
          new StringBuilder("The update failed at ")
              .append(e.stage())
              .append(": ")
              .append(e.getMessage());
      e.logTail().forEach(l -> b.append('\n').append(l));
      b.append(
          e.undoProblems().isEmpty()
              ? "\nNothing changed: what was live before is still live."
              : "\nNot everything could be undone: " + String.join("; ", e.undoProblems()));
      run.end(false, b.toString());
    } catch (Exception e) {
      run.end(false, "The update failed: " + e);
    }
  }

  /** The page of {@code run}: its stages so far and, once it ended, the outcome. */
  static Html progress(DeployRuns.Run run) {
    Html h = new Html();
    String outcome = run.outcome();
    h.open("p").text("Deploying " + run.app + " at " + run.location + " for " + run.who + ". ");
    if (outcome == null) {
      h.text("This page follows it.");
    }
    h.close();
    h.open(
        "ol",
        "class",
        "progress",
        "aria-live",
        "polite",
        "data-deploy",
        outcome == null ? "running" : run.ok() ? "ok" : "failed");
    for (String l : run.lines()) {
      h.element("li", l);
    }
    h.close();
    if (outcome != null) {
      h.element(
          "pre",
          outcome,
          "class",
          run.ok() ? "outcome" : "outcome bad",
          "role",
          run.ok() ? "status" : "alert");
      h.open("p")
          .element("a", "Open " + run.app + "'s page", "href", AppPage.path(run.app, run.location))
          .close();
    } else {
      h.open("noscript").text("Reload this page to see how it goes.").close();
    }
    return h;
  }
}
