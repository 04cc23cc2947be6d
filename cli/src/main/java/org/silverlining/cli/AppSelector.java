package org.silverlining.cli;

import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** {@code --by-name APP | --by-location LOCATION}: which app a command acts on. */
final class AppSelector {
  static final class Choice {
    @Option(
        names = "--by-name",
        paramLabel = "APP",
        required = true,
        description = "The app's name.")
    String app;

    @Option(
        names = "--by-location",
        paramLabel = "LOCATION",
        required = true,
        description = "A location the app serves.")
    String location;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Choice choice;

  Map<String, String> params() {
    return choice.app != null ? Map.of("app", choice.app) : Map.of("location", choice.location);
  }

  String describe() {
    return choice.app != null ? choice.app : "the app at " + choice.location;
  }
}
