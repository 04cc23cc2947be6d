package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silver setup-node NAME}: brings a node to this CLI's software, running; idempotent. */
@Command(
    name = "setup-node",
    description = {
      "Set a node up, or bring it up to date: on a server over SSH, installs Java (apt-get install default-jre-headless) when missing, copies this CLI's node software, writes node.ini and a systemd service (or a supervisor where systemd does not run), starts the node, and registers its token and certificate fingerprint for this CLI.",
      "On a local node, starts it from this CLI's jar (restarting it when it runs another build).",
      "Each step is taken only when needed: running it on a node that is set up changes nothing.",
      "With --role replica --of DB (run as root on this machine, or over SSH as root or with sudo): makes a PostgreSQL streaming replica of the services node DB's server on this node's machine (a new cluster on --pg-port, filled by pg_basebackup over a replication slot); apps of nodesets with services = DB then get CONFIG_PG_REPLICA_HOST and CONFIG_PG_REPLICA_PORT."
    })
final class SetupNodeCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAME", description = "The node.")
  String name;

  @Option(
      names = {"-y", "--yes"},
      description = "ssh: trust the server's host key without asking when none is pinned yet.")
  boolean yes;

  @Option(
      names = "--role",
      paramLabel = "ROLE",
      description = "replica: a PostgreSQL streaming replica of the node named by --of.")
  String role;

  @Option(
      names = "--of",
      paramLabel = "DB",
      description = "With --role replica: the services node.")
  String of;

  @Option(
      names = "--pg-port",
      paramLabel = "PORT",
      defaultValue = "5432",
      description = "With --role replica: the replica's port (default ${DEFAULT-VALUE}).")
  int pgPort;

  @Option(
      names = "--pg-version",
      paramLabel = "N",
      defaultValue = "15",
      description = "With --role replica: the PostgreSQL major version (default ${DEFAULT-VALUE}).")
  String pgVersion;

  @Override
  public Integer call() throws Exception {
    NodeRegistry registry = NodeRegistry.forUser();
    if (role != null || of != null) {
      if (!"replica".equals(role) || of == null) {
        throw new UserException(
            "--role takes replica, with --of naming the services node: silver setup-node "
                + name
                + " --role replica --of DB");
      }
      new ReplicaSetup(registry, System.out).setup(name, of, pgPort, pgVersion);
      return 0;
    }
    Map<String, String> entry = registry.entry(name);
    if (RemoteNode.isRemote(entry)) {
      RemoteNode.setup(name, yes, System.out);
    } else {
      setupLocal(registry, name, System.out);
    }
    return 0;
  }

  /** A local node: started when it is not running; restarted on this build when it runs another. */
  static void setupLocal(NodeRegistry registry, String name, PrintStream out) throws IOException {
    NodeRegistry.NodeRef ref = registry.resolve(name);
    Path root = ref.root();
    if (root == null) {
      throw new UserException("the node " + name + " has no root folder on this machine to set up");
    }
    Optional<ProcessHandle> running = LocalNodes.running(root);
    if (running.isEmpty() || LocalNodes.supervisor(root).isEmpty()) {
      // Down, or running unsupervised (started by an earlier build): under a supervisor now.
      running.ifPresent(p -> LocalNodes.stop(p, LocalNodeRestart.STOP_TIMEOUT));
      LocalNodes.Started node = LocalNodes.Started.start(root);
      out.println(
          "Started the node "
              + name
              + " under its supervisor (pid "
              + node.supervisor().pid()
              + "), output in "
              + node.log());
      NodeAnswer.await(registry, name, node::failure, node.log()::toString, out);
      out.println("Node " + name + " is up on this build.");
      return;
    }
    ApiClient api = new ApiClient(ref);
    JsonNode me = api.get("", Map.of());
    if (SoftwareCheck.differs(me.path("software").asText(""), SoftwareCheck.mine())) {
      LocalNodeRestart.restart(api, out);
      return;
    }
    out.println("Node " + name + " runs this build already; nothing changed.");
  }
}
