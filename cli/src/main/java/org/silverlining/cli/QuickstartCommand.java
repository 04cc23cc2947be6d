package org.silverlining.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.silverlining.node.Node;
import org.silverlining.node.NodeSettings;
import org.silverlining.node.layout.NodeLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code silver quickstart}: a local node in {@code ./.silver/local} with the guestbook example (on
 * SQLite) at the node's default location and hello-java at {@code hello.localhost}, running until
 * Ctrl-C. A second run reuses the same node and its data.
 */
@Command(
    name = "quickstart",
    description =
        "Start a local node in ./.silver/local (SQLite state, nothing else to install), deploy examples/guestbook (on SQLite) and examples/hello-java to it, print their URLs, and run until Ctrl-C, which stops everything.")
final class QuickstartCommand implements Callable<Integer> {
  static final String NODE_NAME = "local";

  @Option(
      names = "--root",
      defaultValue = ".silver/local",
      description = "The node's folder (default: ${DEFAULT-VALUE}).")
  Path root;

  @Option(
      names = "--examples",
      defaultValue = "examples",
      paramLabel = "DIR",
      description = "Where the example apps are (default: ${DEFAULT-VALUE}).")
  Path examples;

  @Override
  public Integer call() throws Exception {
    Path guestbook = examples.resolve("guestbook");
    Path hello = examples.resolve("hello-java");
    for (Path app : new Path[] {guestbook, hello}) {
      if (!Files.isRegularFile(app.resolve("app.ini"))) {
        throw new UserException(
            "no app at "
                + app.toAbsolutePath().normalize()
                + "; run quickstart from the project's folder");
      }
    }
    NodeLayout layout = new NodeLayout(root);
    boolean fresh = !Files.isRegularFile(layout.nodeIni()) || !registeredHere(layout);
    if (fresh) {
      System.out.println(
          (Files.isRegularFile(layout.nodeIni()) ? "Registering" : "Creating")
              + " the local node in "
              + layout.root());
      NodeSettings.HostPort http =
          Files.isRegularFile(layout.nodeIni())
              ? null
              : new NodeSettings.HostPort("127.0.0.1", 8080);
      NodeSettings.HostPort admin =
          Files.isRegularFile(layout.nodeIni()) ? null : new NodeSettings.HostPort("127.0.0.1", 0);
      LocalNodes.init(root, NODE_NAME, http, admin);
    } else {
      System.out.println("Reusing the local node in " + layout.root());
    }
    Node node = startOnFreePorts(layout);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("Stopping the node and its apps...");
                  node.close();
                  stopped.countDown();
                },
                "node-shutdown"));
    ApiClient api = new ApiClient(NodeRegistry.forUser().resolve(NODE_NAME));
    AppUploader.update(api, guestbook, "default", null, true, System.out);
    AppUploader.update(api, hello, "hello.localhost", null, true, System.out);
    int port = node.httpPort();
    System.out.println();
    System.out.println("Your apps are live:");
    System.out.println("  http://127.0.0.1:" + port + "/         the guestbook, on SQLite");
    System.out.println("  http://hello.localhost:" + port + "/   hello-java (in a browser; or");
    System.out.println("      curl -H 'Host: hello.localhost' http://127.0.0.1:" + port + "/)");
    System.out.println(
        "The guestbook is the node's default location: any other host name reaches it.");
    System.out.println("Try, in another terminal:");
    System.out.println("  bin/silver query --node " + NODE_NAME);
    System.out.println("  bin/silver logs default --node " + NODE_NAME + " --follow");
    System.out.println(
        "Node log: " + layout.nodeLog() + "; press Ctrl-C to stop the node and its apps.");
    System.out.println();
    stopped.await();
    return 0;
  }

  private static boolean registeredHere(NodeLayout layout) throws IOException {
    NodeRegistry registry = NodeRegistry.forUser();
    if (!Files.isRegularFile(registry.fileOf(NODE_NAME))) {
      return false;
    }
    NodeRegistry.NodeRef ref = registry.resolve(NODE_NAME);
    return ref.root() != null && ref.root().equals(layout.root());
  }

  // The saved ports may have been taken since the last run: then take free ones.
  private Node startOnFreePorts(NodeLayout layout) throws Exception {
    try {
      return LocalNodes.start(root, null, null, false);
    } catch (UserException e) {
      System.out.println("The saved ports are in use; choosing free ones");
      return LocalNodes.start(
          root,
          new NodeSettings.HostPort("127.0.0.1", 0),
          new NodeSettings.HostPort("127.0.0.1", 0),
          false);
    }
  }
}
