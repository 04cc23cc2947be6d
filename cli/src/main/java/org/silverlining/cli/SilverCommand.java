package org.silverlining.cli;

import java.io.PrintWriter;
import org.silverlining.core.InvalidConfigException;
import org.silverlining.node.Node;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code silver} command: parses, runs one subcommand, maps failures to messages and exit
 * codes.
 */
@Command(
    name = "silver",
    mixinStandardHelpOptions = true,
    // Inherited, so that every subcommand takes --help (silver update --help), not just silver.
    scope = CommandLine.ScopeType.INHERIT,
    versionProvider = SilverCommand.Version.class,
    description = "Deploy and run apps on silver nodes.",
    subcommands = {
      CommandLine.HelpCommand.class,
      QuickstartCommand.class,
      NodeCommand.class,
      UpdateCommand.class,
      ConfigCommand.class,
      ConfigQueryCommand.class,
      GlobalConfigCommand.class,
      SecretCommand.class,
      CreateConfigCommand.class,
      QueryCommand.class,
      ActivateCommand.class,
      DeactivateCommand.class,
      DisableCommand.class,
      EnableCommand.class,
      LogsCommand.class,
      ClearCommand.class,
      BackupCommand.class,
      RestoreCommand.class,
      BackupsCommand.class,
      CronCommand.class,
      TasksCommand.class,
      TestCommand.class,
      InitCommand.class,
      ServeCommand.class,
      VersionsCommand.class,
      DiffCommand.class,
      RollbackCommand.class
    })
public final class SilverCommand {
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"silver " + Node.VERSION};
    }
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs {@code args} as a {@code silver} command line and returns the exit code. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new SilverCommand());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          PrintWriter err = cmd.getErr();
          if (e instanceof UserException u) {
            err.println("Error: " + u.getMessage());
            return u.exitCode();
          }
          if (e instanceof InvalidConfigException || e instanceof IllegalArgumentException) {
            err.println("Error: " + e.getMessage());
            return 1;
          }
          err.println("Error: " + e);
          e.printStackTrace(err);
          return 2;
        });
    return cli.execute(args);
  }
}
