package org.silverlining.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.silverlining.node.layout.Trees;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silver destroy-node NAME}: stops a node and its apps, and forgets it. */
@Command(
    name = "destroy-node",
    description = {
      "Stop a node and its apps, remove its software and unregister it from this CLI.",
      "Its data (apps, databases, backups, logs in its root) stays unless --purge is given."
    })
final class DestroyNodeCommand implements Callable<Integer> {
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  @Parameters(index = "0", paramLabel = "NAME", description = "The node.")
  String name;

  @Option(names = "--purge", description = "Delete the node's root folder too: every app's data.")
  boolean purge;

  @Mixin ConfirmOption confirm = new ConfirmOption();

  @Override
  public Integer call() throws Exception {
    NodeRegistry registry = NodeRegistry.forUser();
    NodeRegistry.NodeRef ref = registry.resolve(name);
    Map<String, String> entry = registry.entry(name);
    if (RemoteNode.isRemote(entry)) {
      String where = entry.get("host") + ":" + entry.get("remote_root");
      if (!confirm.confirmed(question(entry, where))) {
        return 1;
      }
      RemoteNode.destroy(name, purge, System.out);
      registry.unregister(name);
      System.out.println("Node " + name + " destroyed.");
      return 0;
    }
    Path root = ref.root();
    if (root == null) {
      throw new UserException(
          "the node "
              + name
              + " is registered without a root folder on this machine; nothing here to stop");
    }
    if (!confirm.confirmed(question(entry, root.toString()))) {
      return 1;
    }
    Optional<ProcessHandle> running = LocalNodes.running(root);
    if (running.isPresent() || LocalNodes.supervisor(root).isPresent()) {
      System.out.println(
          "Stopping the node "
              + name
              + running.map(p -> " (pid " + p.pid() + ")").orElse("")
              + " and its apps...");
      LocalNodes.stopNode(root, STOP_TIMEOUT);
    } else {
      System.out.println("The node " + name + " is not running.");
    }
    Trees.delete(LocalNodes.runner(root).getParent());
    if (purge && Files.exists(root)) {
      Trees.delete(root);
      System.out.println("Deleted " + root);
    }
    registry.unregister(name);
    System.out.println(
        "Node "
            + name
            + " destroyed"
            + (purge || !Files.exists(root) ? "." : "; its data stays in " + root + "."));
    return 0;
  }

  private String question(Map<String, String> entry, String where) {
    return "Destroy the node "
        + name
        + " ("
        + ListNodesCommand.provider(entry)
        + ", "
        + where
        + ")? It and its apps stop"
        + (purge ? ", and every app's data in " + where + " is deleted." : "; the data stays.");
  }
}
