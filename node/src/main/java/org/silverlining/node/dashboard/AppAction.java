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
  REVERT("revert", "Revert to this revision", List.of("location", "revision"));

  final String hook;
  final String label;

  /** The form parameters the action needs, each required. */
  final List<String> params;

  AppAction(String hook, String label, List<String> params) {
    this.hook = hook;
    this.label = label;
    this.params = params;
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
