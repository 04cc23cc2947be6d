package org.silverlining.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.silverlining.cli.scaffold.Scaffold;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silver init DIR --runtime RUNTIME}: a new app that runs as it is. */
@Command(
    name = "init",
    description = "Create a new app in DIR that runs as it is (try: silver serve DIR).")
final class InitCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Option(
      names = "--runtime",
      defaultValue = "java",
      description =
          "java, command (any language; the template is Python) or static (default: ${DEFAULT-VALUE}).")
  String runtime;

  @Option(names = "--name", description = "The app's name (default: from DIR's name).")
  String name;

  @Override
  public Integer call() throws Exception {
    List<Path> files;
    try {
      files = Scaffold.write(dir, runtime, name);
    } catch (IllegalArgumentException e) {
      throw new UserException(e.getMessage());
    }
    System.out.println("Created a " + runtime.strip() + " app in " + dir + ":");
    files.forEach(f -> System.out.println("  " + dir.relativize(f)));
    System.out.println("Run it locally:  silver serve " + dir);
    System.out.println("Deploy it:       silver update " + dir + " LOCATION");
    return 0;
  }
}
