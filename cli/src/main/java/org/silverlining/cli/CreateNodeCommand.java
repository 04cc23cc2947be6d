package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.silverlining.node.NodeSettings;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.layout.Trees;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silver create-node NAME --provider local|ssh}: a new node, started and registered. */
@Command(
    name = "create-node",
    description = {
      "Create a node, start it and register it for this CLI (with its token and, when its management API speaks TLS, its certificate's fingerprint).",
      "local: a node on this machine, on an address of its own (e.g. 127.0.0.11), running in the background as you under a supervisor that starts it again 2 s after it dies (ROOT/software/run-node); its output goes to ROOT/logs/node-console.log.",
      "ssh: an existing server reached over SSH (key login; its host key is pinned on first use), set up with setup-node."
    })
final class CreateNodeCommand implements Callable<Integer> {
  /** A node's name: a file name for the registry, and a word in listings and unit names. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

  enum Provider {
    local,
    ssh
  }

  @Parameters(index = "0", paramLabel = "NAME", description = "The node's name for this CLI.")
  String name;

  @Option(
      names = "--provider",
      required = true,
      paramLabel = "local|ssh",
      description = "Where the node runs: local (this machine) or ssh (a server over SSH).")
  Provider provider;

  @Option(
      names = "--root",
      required = true,
      paramLabel = "DIR",
      description = "The node's folder (on the server, for ssh).")
  Path root;

  @Option(
      names = "--http",
      paramLabel = "HOST:PORT",
      description = "Public front address (default: 0.0.0.0:8080).")
  String http;

  @Option(
      names = "--admin",
      paramLabel = "HOST:PORT",
      description =
          "Management API address (default: 127.0.0.1:8081; not on loopback, it speaks TLS with a certificate this CLI pins).")
  String admin;

  @Option(
      names = "--host",
      paramLabel = "USER@HOST",
      description = "ssh: the server, and the user the node runs as there.")
  String host;

  @Option(
      names = "--ssh-port",
      paramLabel = "N",
      description = "ssh: the server's SSH port (default: 22).")
  Integer sshPort;

  @Option(
      names = "--identity",
      paramLabel = "FILE",
      description = "ssh: the private key to log in with (default: ssh's own choice).")
  Path identity;

  @Option(
      names = {"-y", "--yes"},
      description = "ssh: trust the server's host key on first use without asking.")
  boolean yes;

  @Override
  public Integer call() throws Exception {
    if (!NAME.matcher(name).matches()) {
      throw new UserException(
          "'"
              + name
              + "' is not a node name: letters, digits, '.', '_' and '-', starting with a letter or"
              + " digit, at most 63 characters");
    }
    NodeRegistry registry = NodeRegistry.forUser();
    if (registry.has(name)) {
      throw new UserException(
          "a node named '"
              + name
              + "' is registered already ("
              + registry.fileOf(name)
              + "); choose another name, or remove it first with: silver destroy-node "
              + name);
    }
    NodeSettings.HostPort httpAt = NodeCommand.address(http);
    NodeSettings.HostPort adminAt = NodeCommand.address(admin);
    if (provider == Provider.ssh) {
      return RemoteNode.create(
          name,
          root,
          httpAt,
          adminAt,
          SshTarget.parse(host, sshPort, identity, registry.knownHosts()),
          yes,
          System.out);
    }
    if (host != null || sshPort != null || identity != null) {
      throw new UserException(
          "--host, --ssh-port and --identity are for --provider ssh, not local");
    }
    return createLocal(registry, httpAt, adminAt);
  }

  private int createLocal(
      NodeRegistry registry, NodeSettings.HostPort httpAt, NodeSettings.HostPort adminAt)
      throws Exception {
    Path dir = root.toAbsolutePath().normalize();
    boolean existed = Files.exists(dir);
    boolean hadNode = Files.isRegularFile(new NodeLayout(dir).nodeIni());
    NodeSettings s = LocalNodes.init(dir, name, httpAt, adminAt);
    Map<String, String> entry = registry.entry(name);
    entry.put("provider", Provider.local.name());
    registry.update(name, entry);
    System.out.println(
        (hadNode ? "Took over the node data in " : "Created the node " + name + " in ")
            + dir
            + ": front "
            + s.http()
            + ", management API "
            + s.admin()
            + (s.adminOverTls() ? " (TLS)" : ""));
    LocalNodes.Started node = LocalNodes.Started.start(dir);
    System.out.println(
        "Started it in the background under its supervisor (pid "
            + node.supervisor().pid()
            + "), output in "
            + node.log());
    try {
      JsonNode me =
          NodeAnswer.await(registry, name, node::failure, node.log()::toString, System.out);
      System.out.println(
          "Node "
              + name
              + " is up: silver "
              + me.path("version").asText()
              + ", management API "
              + registry.resolve(name).adminUrl()
              + "; talk to it with --node "
              + name);
      return 0;
    } catch (UserException e) {
      // A node that never answered is not left behind: no process, no registration, and no
      // folder unless it was there before.
      if (node.supervisor().isAlive()) {
        LocalNodes.stop(node.supervisor().toHandle(), DestroyNodeCommand.STOP_TIMEOUT);
      }
      Trees.delete(LocalNodes.runner(dir).getParent());
      registry.unregister(name);
      if (!existed) {
        Trees.delete(dir);
      }
      throw new UserException(
          e.getMessage()
              + "; the node was not created"
              + (existed ? " (what was in " + dir + " stays)" : ""));
    }
  }
}
