package org.silverlining.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
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
    description = "Deploy and run apps on silver nodes.")
public final class SilverCommand {
  /**
   * Every subcommand, in the order {@code silver --help} lists them. {@link #run} adds only the one
   * being run: building the model of every one by reflection was most of the command's start-up.
   */
  static final List<Class<?>> SUBCOMMANDS =
      List.of(
          CommandLine.HelpCommand.class,
          QuickstartCommand.class,
          NodeCommand.class,
          CreateNodeCommand.class,
          SetupNodeCommand.class,
          ListNodesCommand.class,
          DestroyNodeCommand.class,
          CleanNodeCommand.class,
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
          CertsCommand.class,
          MiddlewareCommand.class,
          ApplyMiddlewareCommand.class,
          ShowMiddlewareCommand.class,
          RemoveMiddlewareCommand.class,
          CronCommand.class,
          TasksCommand.class,
          TestCommand.class,
          InitCommand.class,
          ServeCommand.class,
          ResourcesCommand.class,
          VersionsCommand.class,
          DiffCommand.class,
          RollbackCommand.class,
          StatsCommand.class,
          RunCommand.class,
          ShellCommand.class,
          ErrorsCommand.class,
          SecurityCommand.class,
          LogLevelCommand.class,
          AdminUserCommand.class);

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"silver " + Node.VERSION};
    }
  }

  /**
   * The commands that run a node or an app on this machine, whose log is part of what they show.
   * The others, which may still load data here ({@code silver restore --devel}), show only its
   * warnings.
   */
  private static final Set<String> RUN_HERE = Set.of("node", "quickstart", "serve");

  public static void main(String[] args) {
    if (args.length == 0 || !RUN_HERE.contains(args[0])) {
      System.setProperty("silver.log.level", "WARN"); // read by logback.xml when it starts
    }
    int code = run(args);
    if (Boolean.getBoolean(CdsTraining.PROPERTY)) {
      CdsTraining.run();
    }
    System.exit(code);
  }

  /** Runs {@code args} as a {@code silver} command line and returns the exit code. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new SilverCommand());
    for (Class<?> c : subcommandsFor(args)) {
      cli.addSubcommand(c);
    }
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

  /**
   * The subcommand {@code args} runs, alone; every one for {@code silver help ...}, {@code silver
   * --help}, or a name that is none of them (whose error lists the names).
   */
  static List<Class<?>> subcommandsFor(String... args) {
    if (args.length > 0 && !args[0].equals("help")) {
      for (Class<?> c : SUBCOMMANDS) {
        Command command = c.getAnnotation(Command.class);
        if (command.name().equals(args[0]) || Arrays.asList(command.aliases()).contains(args[0])) {
          return List.of(c);
        }
      }
    }
    return SUBCOMMANDS;
  }
}
