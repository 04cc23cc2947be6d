package org.silverlining.cli;

import java.io.Console;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.silverlining.core.AppConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code silver create-config APP_DIR NEW_DIR [--var NAME=VALUE...]}: a configuration from the
 * app's template.
 */
@Command(
    name = "create-config",
    description =
        "Write a new configuration folder NEW_DIR from the app's config.template, asking for each variable of the template's template.ini (or taking them from --var), ready for silver update --config or silver config.")
final class CreateConfigCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "APP_DIR")
  Path appDir;

  @Parameters(index = "1", paramLabel = "NEW_DIR")
  Path newDir;

  @Option(
      names = "--var",
      paramLabel = "NAME=VALUE",
      description = "A variable's value; variables not given are asked for in a terminal.")
  List<String> vars = List.of();

  @Override
  public Integer call() throws Exception {
    AppConfig config = AppConfig.load(appDir, false);
    String template = config.settings().getOrDefault("config.template", "").strip();
    if (template.isEmpty()) {
      throw new UserException(
          appDir.resolve(AppConfig.FILE_NAME) + " has no config.template = FOLDER");
    }
    if (Files.exists(newDir)) {
      try (var s = Files.list(newDir)) {
        if (s.findAny().isPresent()) {
          throw new UserException(newDir + " exists and is not empty; name a new folder");
        }
      }
    }
    ConfigTemplate t = ConfigTemplate.load(appDir.resolve(template));
    Map<String, String> values = new LinkedHashMap<>();
    for (String v : vars) {
      int eq = v.indexOf('=');
      if (eq <= 0) {
        throw new UserException("--var takes NAME=VALUE, not '" + v + "'");
      }
      values.put(v.substring(0, eq).strip(), v.substring(eq + 1));
    }
    Console console = System.console();
    if (console != null) {
      for (Map.Entry<String, String> e : t.variables().entrySet()) {
        if (!values.containsKey(e.getKey())) {
          String answer =
              console.readLine(
                  "%s%s: ", e.getKey(), e.getValue().isEmpty() ? "" : " [" + e.getValue() + "]");
          if (answer != null && !answer.isBlank()) {
            values.put(e.getKey(), answer.strip());
          }
        }
      }
    }
    List<Path> written = t.write(newDir, values);
    System.out.println(
        "Wrote "
            + written.size()
            + " file(s) to "
            + newDir
            + "; upload with: silver update "
            + appDir
            + " LOCATION --config "
            + newDir);
    return 0;
  }
}
