package org.silverlining.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.silverlining.node.Node;
import org.silverlining.node.NodeSettings;
import org.silverlining.node.admin.Tokens;
import org.silverlining.node.layout.NodeLayout;

/** Creating, registering and running a node on this machine, for `node init/start` and friends. */
final class LocalNodes {
  private LocalNodes() {}

  /**
   * Writes {@code node.ini} (keeping what an earlier init wrote, changed by the options given),
   * makes a token and registers the node for the CLI under {@code name}.
   */
  static NodeSettings init(
      Path root, String name, NodeSettings.HostPort http, NodeSettings.HostPort admin)
      throws IOException {
    NodeLayout layout = new NodeLayout(root);
    layout.create();
    NodeSettings settings =
        Files.isRegularFile(layout.nodeIni())
            ? NodeSettings.load(layout.nodeIni())
            : new NodeSettings(name, NodeSettings.DEFAULT_HTTP, NodeSettings.DEFAULT_ADMIN);
    settings =
        new NodeSettings(
            name, settings.http(), settings.admin(), settings.services(), settings.tasks());
    if (http != null) {
      settings = settings.withHttp(http);
    }
    if (admin != null) {
      settings = settings.withAdmin(admin);
    }
    settings.save(layout.nodeIni());
    org.silverlining.node.secret.PlatformSecret.ensure(layout, java.time.Instant.now());
    String token = new Tokens(layout.tokensFile()).create(System.getProperty("user.name", "admin"));
    NodeSettings.HostPort a = settings.admin();
    String host = a.host().equals("0.0.0.0") ? "127.0.0.1" : a.host();
    NodeRegistry.forUser().register(name, "http://" + host + ":" + a.port(), token, layout.root());
    return settings;
  }

  /** Starts the node at {@code root}; options override node.ini and are saved there. */
  static Node start(
      Path root, NodeSettings.HostPort http, NodeSettings.HostPort admin, boolean devel)
      throws Exception {
    NodeLayout layout = new NodeLayout(root);
    if (!Files.isRegularFile(layout.nodeIni())) {
      throw new UserException(
          "no node.ini in "
              + layout.root()
              + "; create the node first: silver node init --root "
              + root);
    }
    NodeSettings settings = NodeSettings.load(layout.nodeIni());
    if (http != null) {
      settings = settings.withHttp(http);
    }
    if (admin != null) {
      settings = settings.withAdmin(admin);
    }
    Node node;
    try {
      node = Node.start(layout, settings, devel);
    } catch (org.silverlining.node.state.NewerFormatException e) {
      throw new UserException("the node refuses to start: " + e.getMessage());
    } catch (IOException e) {
      if (e.getCause() instanceof java.net.BindException || e instanceof java.net.BindException) {
        throw new UserException(
            "cannot listen on "
                + settings.http()
                + " or "
                + settings.admin()
                + ": the address is in use; choose others with --http and --admin");
      }
      throw e;
    }
    // Port 0 means "any free port": record the one taken so that the CLI finds it.
    settings =
        settings
            .withHttp(new NodeSettings.HostPort(settings.http().host(), node.httpPort()))
            .withAdmin(new NodeSettings.HostPort(settings.admin().host(), node.adminPort()));
    settings.save(layout.nodeIni());
    return node;
  }
}
