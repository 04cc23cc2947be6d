package org.silverlining.node.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.silverlining.node.errors.InvalidParameterException;
import org.silverlining.node.middleware.Middlewares;
import org.silverlining.node.middleware.PackInfo;
import org.silverlining.node.middleware.Setting;

/**
 * The app page's middleware: the location's packs in the order they see a request (as {@code silver
 * show-middleware} lists them, secret settings hidden) with {@code remove-middleware}, and a form
 * that applies a pack with its settings ({@code apply-middleware}). The settings are typed one
 * {@code KEY=VALUE} a line; they may be secret (a password pack's), so between the form and its
 * confirmation they are kept in the session ({@link #HELD} names them), never in a URL.
 */
final class MiddlewareSection extends AppSection {
  /** The form field of the settings, one {@code KEY=VALUE} a line. */
  static final String SETTINGS = "settings";

  /** The parameter that names the settings kept in the session until the change is confirmed. */
  static final String HELD = "held";

  MiddlewareSection(Html h, AppPageData d, String csrf) {
    super(h, d, csrf, "middleware", "Middleware");
  }

  @Override
  void body() {
    AppPageData.Part<Middlewares.Stack> part = d.middleware();
    if (problem(part)) {
      return;
    }
    Middlewares.Stack stack = part.value();
    if (stack.packs().isEmpty()) {
      h.element("p", "No middleware: requests go straight to the app.");
    } else {
      h.element(
          "p", "Revision " + stack.revision() + "; the packs see each request in this order.");
      tableHead("#", "Pack", "Version", "Settings", "");
      int order = 1;
      for (Middlewares.PackView p : stack.packs()) {
        h.open("tr", "data-pack", p.name()).element("td", String.valueOf(order++));
        h.element("th", p.name(), "scope", "row").element("td", p.version());
        h.element("td", settingsLine(p.settings()), "class", "small");
        h.open("td");
        action(AppAction.REMOVE_MIDDLEWARE, Map.of("location", d.location(), "pack", p.name()));
        h.close().close();
      }
      tableEnd();
    }
    applyForm();
  }

  /** The form that applies a pack: its name, its settings, and a list of what each pack takes. */
  private void applyForm() {
    h.element("h3", "Apply a pack", "id", "apply-h");
    h.open(
        "form",
        "method",
        "post",
        "class",
        "apply",
        "action",
        AppActions.path(d.app(), AppAction.APPLY_MIDDLEWARE),
        "aria-labelledby",
        "apply-h");
    h.empty("input", "type", "hidden", "name", PageRequest.CSRF_FIELD, "value", csrf);
    h.empty("input", "type", "hidden", "name", "location", "value", d.location());
    h.open("p").element("label", "Pack", "for", "apply-pack");
    h.open("select", "id", "apply-pack", "name", "pack", "required", "required");
    for (PackInfo a : d.packs()) {
      h.element("option", a.name(), "value", a.name());
    }
    h.close().close();
    h.open("p").element("label", "Settings, one KEY=VALUE a line", "for", "apply-settings");
    h.open(
            "textarea",
            "id",
            "apply-settings",
            "name",
            SETTINGS,
            "rows",
            "4",
            "spellcheck",
            "false",
            "autocapitalize",
            "none",
            "aria-describedby",
            "apply-help")
        .close()
        .close();
    h.open("p")
        .element(
            "button",
            AppAction.APPLY_MIDDLEWARE.label,
            "type",
            "submit",
            "data-action",
            AppAction.APPLY_MIDDLEWARE.hook)
        .close();
    h.close();
    h.open("details", "id", "apply-help").element("summary", "What each pack takes");
    h.open("dl", "class", "packs");
    for (PackInfo a : d.packs()) {
      h.element("dt", a.name() + " " + a.version());
      h.open("dd").text(a.description());
      h.open("ul");
      for (Setting s : a.settings()) {
        h.open("li").element("code", s.key().endsWith(".") ? s.key() + "NAME" : s.key());
        h.text(": " + s.description() + (s.secret() ? " (secret)" : "")).close();
      }
      h.close().close();
    }
    h.close().close();
  }

  /**
   * The settings typed in the form: one {@code KEY=VALUE} a line, blank lines skipped. A line
   * without {@code =} or a key given twice is refused, naming the line (not its content: it may be
   * a secret).
   */
  static Map<String, String> parse(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    if (text == null) {
      return out;
    }
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new InvalidParameterException(
            SETTINGS, "line " + (i + 1) + " of the settings is not KEY=VALUE");
      }
      String key = line.substring(0, eq).strip();
      if (out.put(key, line.substring(eq + 1).strip()) != null) {
        throw new InvalidParameterException(
            SETTINGS, "the setting " + key + " is given twice (line " + (i + 1) + ")");
      }
    }
    return out;
  }

  /** {@code settings} as the confirmation shows them: one line each, secret values hidden. */
  static List<String> shown(Map<String, String> settings, Optional<PackInfo> pack) {
    List<String> out = new ArrayList<>();
    settings.forEach(
        (k, v) -> {
          boolean secret =
              pack.map(p -> p.settings().stream().anyMatch(s -> s.matches(k) && s.secret()))
                  .orElse(true);
          out.add(k + " = " + (secret ? Setting.HIDDEN : v));
        });
    return out;
  }

  private static String settingsLine(Map<String, String> settings) {
    if (settings.isEmpty()) {
      return "-";
    }
    StringBuilder b = new StringBuilder();
    settings.forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append('=').append(v));
    return b.toString();
  }
}
