package org.silverlining.node.dashboard;

import java.util.List;
import java.util.Optional;

/**
 * The everyday actions on an app's page: each a POST to {@code /apps/APP/HOOK} with the form's
 * parameters, confirmed on a page of its own first. {@code hook} is the button's {@code
 * data-action}, part of the dashboard's documented interface.
 */
enum AppAction {
  DISABLE("disable", "Disable", List.of()),
  ENABLE("enable", "Enable", List.of()),
  ROLLBACK("rollback", "Roll back to the previous instance", List.of("location")),
  ACTIVATE("activate", "Make live", List.of("location", "instance")),
  BACKUP("backup", "Back up now", List.of("location")),
  RUN_CRON("run-cron", "Run now", List.of("location", "job")),
  RETRY("retry", "Retry", List.of("location", "task")),
  REVERT("revert", "Revert to this revision", List.of("location", "revision")),
  APPLY_MIDDLEWARE(
      "apply-middleware",
      "Apply the pack",
      List.of("location", "pack"),
      List.of(MiddlewareSection.HELD)),
  REMOVE_MIDDLEWARE("remove-middleware", "Remove", List.of("location", "pack"));

  final String hook;
  final String label;

  /** The form parameters the action needs, each required. */
  final List<String> params;

  /** Form parameters it takes when given. */
  final List<String> optional;

  AppAction(String hook, String label, List<String> params) {
    this(hook, label, params, List.of());
  }

  AppAction(String hook, String label, List<String> params, List<String> optional) {
    this.hook = hook;
    this.label = label;
    this.params = params;
    this.optional = optional;
  }

  static Optional<AppAction> ofHook(String hook) {
    for (AppAction a : values()) {
      if (a.hook.equals(hook)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
