package org.silverlining.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.silverlining.node.Node;
import org.silverlining.node.NodeSettings;
import org.silverlining.node.layout.NodeLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code silver node init|start}: create and run the node daemon on this machine. */
@Command(
    name = "node",
    description = "Create (init) and run (start) a node on this machine.",
    subcommands = {NodeCommand.Init.class, NodeCommand.Start.class})
public final class NodeCommand {

  @Command(
      name = "init",
      description = {
        "Create a node: writes DIR/node.ini and a token, and registers the node for this CLI in ~/.silverlining/nodes/NAME.ini.",
        "Running it again keeps the node's data and adds a token."
      })
  static final class Init implements Callable<Integer> {
    @Option(
        names = "--root",
        required = true,
        paramLabel = "DIR",
        description = "The node's folder.")
    Path root;

    @Option(
        names = "--name",
        defaultValue = "local",
        description = "Name for the CLI (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(
        names = "--http",
        paramLabel = "HOST:PORT",
        description = "Public front address (default: 0.0.0.0:8080).")
    String http;

    @Option(
        names = "--admin",
        paramLabel = "HOST:PORT",
        description = "Management API address (default: 127.0.0.1:8081).")
    String admin;

    @Override
    public Integer call() throws Exception {
      NodeSettings s = LocalNodes.init(root, name, address(http), address(admin));
      System.out.println("Node '" + name + "' is ready in " + root.toAbsolutePath().normalize());
      System.out.println("  front " + s.http() + ", management API " + s.admin());
      System.out.println("  token saved in " + NodeRegistry.forUser().fileOf(name));
      System.out.println(
          "  platform secret in "
              + new org.silverlining.node.layout.NodeLayout(root).keyringFile()
              + " (silver secret)");
      System.out.println("Start it with: silver node start --root " + root);
      return 0;
    }
  }

  @Command(
      name = "start",
      description = {
        "Run the node in the foreground until stopped (Ctrl-C or SIGTERM stop it and its apps).",
        "--http and --admin override node.ini and are saved there."
      })
  static final class Start implements Callable<Integer> {
    @Option(
        names = "--root",
        required = true,
        paramLabel = "DIR",
        description = "The node's folder.")
    Path root;

    @Option(names = "--http", paramLabel = "HOST:PORT", description = "Public front address.")
    String http;

    @Option(names = "--admin", paramLabel = "HOST:PORT", description = "Management API address.")
    String admin;

    @Override
    public Integer call() throws Exception {
      Node node = LocalNodes.start(root, address(http), address(admin), false);
      // Said once node.ini holds the ports taken (port 0 takes any free one): whoever waits for
      // this line can reach the node at the ports it names, and through the CLI, at once.
      NodeSettings s = NodeSettings.load(new NodeLayout(root).nodeIni());
      System.out.println(
          "Node '"
              + s.name()
              + "' started: front "
              + s.http()
              + ", management API "
              + s.admin()
              + " (pid "
              + ProcessHandle.current().pid()
              + ")");
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    node.close();
                    stopped.countDown();
                  },
                  "node-shutdown"));
      stopped.await();
      return 0;
    }
  }

  static NodeSettings.HostPort address(String text) {
    if (text == null) {
      return null;
    }
    try {
      return NodeSettings.HostPort.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UserException(e.getMessage());
    }
  }
}
