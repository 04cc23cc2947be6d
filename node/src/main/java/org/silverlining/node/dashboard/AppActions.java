package org.silverlining.node.dashboard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.silverlining.node.config.ConfigChange;
import org.silverlining.node.control.Backups;
import org.silverlining.node.control.ConfigView;
import org.silverlining.node.control.Jobs;
import org.silverlining.node.control.Locations;
import org.silverlining.node.control.NodeStatus;
import org.silverlining.node.control.Releases;
import org.silverlining.node.deploy.DeployFailedException;
import org.silverlining.node.deploy.Deployer;
import org.silverlining.node.deploy.Rollback;
import org.silverlining.node.errors.ConflictException;
import org.silverlining.node.errors.InvalidParameterException;
import org.silverlining.node.middleware.Middlewares;
import org.silverlining.node.middleware.PackInfo;
import org.silverlining.node.state.StateStore;
import org.silverlining.node.steps.Progress;

/**
 * The dashboard's actions on an app: the form that asks for one, the question that confirms it, and
 * the call that does it through the management API's facades, answering with what happened.
 */
final class AppActions {
  /** The form field that says the action was confirmed. */
  static final String CONFIRMED = "confirmed";

  private final NodeStatus status;
  private final Releases releases;
  private final Jobs jobs;
  private final Backups backups;
  private final ConfigView config;
  private final Deployer deployer;
  private final Middlewares middlewares;

  AppActions(
      NodeStatus status,
      Releases releases,
      Jobs jobs,
      Backups backups,
      ConfigView config,
      Deployer deployer,
      Middlewares middlewares) {
    this.middlewares = middlewares;
    this.status = status;
    this.releases = releases;
    this.jobs = jobs;
    this.backups = backups;
    this.config = config;
    this.deployer = deployer;
  }

  /** The path an action's form posts to. */
  static String path(String app, AppAction a) {
    return "/apps/" + AppPage.url(app) + "/actions/" + a.hook;
  }

  /** The path of the page that asks to confirm {@code a} with {@code params}. */
  static String confirmPath(String app, AppAction a, Map<String, String> params) {
    StringBuilder b = new StringBuilder(path(app, a)).append("/confirm");
    char sep = '?';
    for (Map.Entry<String, String> e : params.entrySet()) {
      b.append(sep).append(e.getKey()).append('=').append(AppPage.url(e.getValue()));
      sep = '&';
    }
    return b.toString();
  }

  /**
   * Writes the form of {@code a} on {@code app} with {@code params} and the session's token {@code
   * csrf}; once {@code confirmed}, its button is the confirmation ({@code data-confirm}) and the
   * form carries {@link #CONFIRMED}.
   */
  static void form(
      Html h, String app, AppAction a, Map<String, String> params, String csrf, boolean confirmed) {
    h.open("form", "method", "post", "class", "action", "action", path(app, a));
    h.empty("input", "type", "hidden", "name", PageRequest.CSRF_FIELD, "value", csrf);
    for (String p : a.params) {
      h.empty("input", "type", "hidden", "name", p, "value", params.get(p));
    }
    for (String p : a.optional) {
      if (params.containsKey(p)) {
        h.empty("input", "type", "hidden", "name", p, "value", params.get(p));
      }
    }
    if (confirmed) {
      h.empty("input", "type", "hidden", "name", CONFIRMED, "value", "yes");
      h.element(
          "button",
          "Yes, " + a.label.toLowerCase(Locale.ROOT),
          "type",
          "submit",
          "class",
          "confirm",
          "data-confirm",
          a.hook,
          "autofocus",
          "autofocus");
    } else {
      h.element(
          "button",
          a.label,
          "type",
          "submit",
          "data-action",
          a.hook,
          "aria-label",
          spoken(a, params));
    }
    h.close();
  }

  /**
   * The button's name for a screen reader when it sits in a table row, where "Retry" alone does not
   * say which: the label with what it acts on (the last parameter beyond the location); null for
   * the app's own buttons.
   */
  static String spoken(AppAction a, Map<String, String> params) {
    if (a.params.size() < 2) {
      return null;
    }
    return a.label + " " + params.get(a.params.get(a.params.size() - 1));
  }

  /**
   * The parameters {@code a} needs, read with {@code param}; refused, naming the field, when one is
   * missing.
   */
  static Map<String, String> params(AppAction a, Function<String, String> param) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String p : a.params) {
      String v = param.apply(p);
      if (v == null || v.isBlank()) {
        throw new InvalidParameterException(p, "the form field '" + p + "' is missing");
      }
      m.put(p, v.strip());
    }
    for (String p : a.optional) {
      String v = param.apply(p);
      if (v != null && !v.isBlank()) {
        m.put(p, v.strip());
      }
    }
    return m;
  }

  /**
   * The confirmation page's content: what {@code a} will do (with {@code details}, one a line), the
   * confirming form, a way back.
   */
  static Html confirmation(
      String app, AppAction a, Map<String, String> params, List<String> details, String csrf) {
    Html h = new Html();
    h.element("p", question(app, a, params), "class", "question", "id", "question");
    if (!details.isEmpty()) {
      h.open("ul", "class", "details");
      details.forEach(d -> h.element("li", d));
      h.close();
    }
    h.open("div", "class", "actions");
    form(h, app, a, params, csrf, true);
    h.element("a", "Cancel", "href", AppPage.path(app, params.get("location")));
    h.close();
    return h;
  }

  static String question(String app, AppAction a, Map<String, String> p) {
    return switch (a) {
      case DISABLE ->
          "Disable "
              + app
              + "? The front answers 503 Service Unavailable at each of its locations until it is"
              + " enabled again.";
      case ENABLE -> "Enable " + app + " again? The front serves its locations again.";
      case ROLLBACK ->
          "Roll "
              + p.get("location")
              + " back to the instance it served before? The one live now stops serving it.";
      case ACTIVATE ->
          "Make "
              + p.get("instance")
              + " live at "
              + p.get("location")
              + " again? The one live now stops serving it; the configuration stays as it is.";
      case BACKUP ->
          "Back up the data of "
              + app
              + " now? The backup is kept on this node with its scheduled backups.";
      case RUN_CRON -> "Run the cron job " + p.get("job") + " of " + app + " now?";
      case RETRY -> "Queue the dead task " + p.get("task") + " of " + app + " again?";
      case REVERT ->
          "Return the configuration of "
              + app
              + " to revision "
              + p.get("revision")
              + "? Its files become a new revision and the app restarts with them.";
      case APPLY_MIDDLEWARE ->
          "Apply the middleware pack "
              + p.get("pack")
              + " to "
              + p.get("location")
              + (p.containsKey(MiddlewareSection.HELD)
                  ? " with these settings"
                  : " without settings")
              + "? It replaces the pack where it is when already applied, else comes last; the"
              + " change is a new middleware revision and takes effect at once.";
      case REMOVE_MIDDLEWARE ->
          "Remove the middleware pack "
              + p.get("pack")
              + " from "
              + p.get("location")
              + "? Requests no longer pass through it; the change is a new middleware revision.";
    };
  }

  /**
   * Before the confirmation of {@code apply-middleware}: checks the pack and the settings typed in
   * the form and keeps them in the session with {@code hold}; {@code params} with the key that
   * finds them.
   */
  Map<String, String> holdSettings(
      Map<String, String> params, String typed, Function<String, String> hold) {
    pack(params.get("pack"));
    Map<String, String> settings = MiddlewareSection.parse(typed);
    Map<String, String> out = new LinkedHashMap<>(params);
    out.remove(MiddlewareSection.HELD);
    if (!settings.isEmpty()) {
      out.put(MiddlewareSection.HELD, hold.apply(typed));
    }
    return out;
  }

  /** The lines under the confirmation's question: the settings of an apply, secrets hidden. */
  List<String> details(AppAction a, Map<String, String> params, Function<String, String> held) {
    if (a != AppAction.APPLY_MIDDLEWARE) {
      return List.of();
    }
    return MiddlewareSection.shown(
        settings(params, held),
        middlewares.available().stream()
            .filter(p -> p.name().equals(params.get("pack")))
            .findFirst());
  }

  private PackInfo pack(String name) {
    return middlewares.available().stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new InvalidParameterException(
                    "pack", "no middleware pack called '" + name + "' on this node"));
  }

  /** The settings kept for an apply's confirmation; refused when the session no longer has them. */
  private static Map<String, String> settings(
      Map<String, String> params, Function<String, String> held) {
    String key = params.get(MiddlewareSection.HELD);
    if (key == null) {
      return Map.of();
    }
    String text = held.apply(key);
    if (text == null) {
      throw new InvalidParameterException(
          MiddlewareSection.SETTINGS,
          "the settings typed in the form are no longer kept; fill in the form again");
    }
    return MiddlewareSection.parse(text);
  }

  /**
   * Does {@code a} on {@code app} as {@code who} ({@code held} finds the settings of an apply);
   * answers what happened, in a sentence.
   */
  String perform(
      String app, AppAction a, Map<String, String> p, String who, Function<String, String> held)
      throws Exception {
    String location = p.get("location");
    switch (a) {
      case DISABLE -> {
        releases.setDisabled(app, true);
        return app + " is disabled: the front answers 503 at its locations.";
      }
      case ENABLE -> {
        releases.setDisabled(app, false);
        return app + " is enabled again.";
      }
      case ROLLBACK -> {
        ownLocation(app, location);
        Rollback.Result r = releases.rollback(location, null, false, false, who);
        return r.location()
            + " is served by "
            + r.active()
            + " again; "
            + r.replaced()
            + " stopped.";
      }
      case ACTIVATE -> {
        ownLocation(app, location);
        Releases.Activated r = releases.activate(location, p.get("instance"), false, who);
        return r.changed()
            ? r.active() + " serves " + r.location() + " again."
            : r.active() + " was already live at " + r.location() + ".";
      }
      case BACKUP -> {
        ownLocation(app, location);
        Backups.Taken t = backups.backUpNow(location, who);
        return "Backup " + t.id() + " of " + t.app() + " is written and kept on this node.";
      }
      case RUN_CRON -> {
        ownLocation(app, location);
        StateStore.CronRunRecord r = jobs.runCronJob(location, p.get("job"));
        return "Cron job "
            + r.job()
            + " ran in "
            + r.millis()
            + " ms: "
            + r.status()
            + (r.output() == null || r.output().isBlank() ? "." : ". Output: " + r.output());
      }
      case RETRY -> {
        ownLocation(app, location);
        long id;
        try {
          id = Long.parseLong(p.get("task"));
        } catch (NumberFormatException e) {
          throw new InvalidParameterException(
              "task", "a task id is a number, not " + p.get("task"));
        }
        jobs.retryTask(location, id);
        return "Task " + id + " is queued again.";
      }
      case REVERT -> {
        ownLocation(app, location);
        int revision = config.revisionNamed(location, "revision", p.get("revision"));
        String instance;
        try {
          instance =
              deployer.reconfigure(location, ConfigChange.revert(revision), who, Progress.NONE);
        } catch (DeployFailedException e) {
          throw new ConflictException(
              "the configuration was not changed: " + e.stage() + " failed: " + e.getMessage());
        }
        return "The configuration of "
            + app
            + " is back to revision "
            + revision
            + " (as a new revision); "
            + instance
            + " serves "
            + Locations.key(location)
            + " with it.";
      }
      case APPLY_MIDDLEWARE -> {
        ownLocation(app, location);
        return changed(middlewares.apply(location, p.get("pack"), settings(p, held), null, who));
      }
      case REMOVE_MIDDLEWARE -> {
        ownLocation(app, location);
        return changed(middlewares.remove(location, p.get("pack"), who));
      }
    }
    throw new IllegalStateException(a.name());
  }

  /** A middleware change in a sentence, as {@code silver apply-middleware} says it. */
  private static String changed(Middlewares.Change c) {
    List<String> names = c.packs().stream().map(Middlewares.PackView::name).toList();
    return c.message()
        + " at "
        + c.location()
        + ": middleware revision "
        + c.revision()
        + ", packs in order: "
        + (names.isEmpty() ? "none" : String.join(", ", names))
        + ".";
  }

  /** Refuses an action on {@code location} through the page of an app that does not serve it. */
  private void ownLocation(String app, String location) throws Exception {
    String owner = status.appAt(location);
    if (!owner.equals(app)) {
      throw new ConflictException(location + " is served by " + owner + ", not by " + app);
    }
  }
}
