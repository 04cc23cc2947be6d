package org.silverlining.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.silverlining.node.Node;
import org.silverlining.node.NodeSettings;
import org.silverlining.node.admin.Tokens;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.tls.AdminCertificate;

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
    return init(root, name, http, admin, s -> s);
  }

  /**
   * As {@link #init(Path, String, NodeSettings.HostPort, NodeSettings.HostPort)}, with {@code
   * change} applied to the settings before they are saved (HTTPS, the admin API's TLS, ACME).
   */
  static NodeSettings init(
      Path root,
      String name,
      NodeSettings.HostPort http,
      NodeSettings.HostPort admin,
      java.util.function.UnaryOperator<NodeSettings> change)
      throws IOException {
    NodeLayout layout = new NodeLayout(root);
    layout.create();
    NodeSettings settings =
        Files.isRegularFile(layout.nodeIni())
            ? NodeSettings.load(layout.nodeIni())
            : new NodeSettings(name, NodeSettings.DEFAULT_HTTP, NodeSettings.DEFAULT_ADMIN);
    settings = settings.withName(name);
    if (http != null) {
      settings = settings.withHttp(http);
    }
    if (admin != null) {
      settings = settings.withAdmin(admin);
    }
    settings = change.apply(settings);
    settings.save(layout.nodeIni());
    org.silverlining.node.secret.PlatformSecret.ensure(layout, java.time.Instant.now());
    String token = new Tokens(layout.tokensFile()).create(System.getProperty("user.name", "admin"));
    String fingerprint =
        settings.adminOverTls()
            ? AdminCertificate.ensure(layout.adminCertificate(), settings.admin().host())
                .fingerprint()
            : null;
    NodeRegistry.forUser()
        .register(name, NodeRegistry.adminUrl(settings), token, layout.root(), fingerprint);
    return settings;
  }

  /** Starts the node at {@code root}; options override node.ini and are saved there. */
  static Node start(
      Path root, NodeSettings.HostPort http, NodeSettings.HostPort admin, boolean devel)
      throws Exception {
    return start(root, http, admin, null, devel);
  }

  /** As above, with {@code https}, when given, for the front's TLS listener. */
  static Node start(
      Path root,
      NodeSettings.HostPort http,
      NodeSettings.HostPort admin,
      NodeSettings.HostPort https,
      boolean devel)
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
    if (https != null) {
      settings = settings.withHttps(https);
    }
    if (settings.adminOverTls() && !Files.isRegularFile(layout.adminCertificate())) {
      throw new UserException(
          "the management API on "
              + settings.admin()
              + " needs TLS (it is not on loopback, or admin_tls is set), and "
              + layout.adminCertificate()
              + " is missing; run silver node init --root "
              + root
              + " again to make it and pin it for this CLI");
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
                + (settings.https() != null ? ", " + settings.https() : "")
                + " or "
                + settings.admin()
                + ": the address is in use; choose others with --http"
                + (settings.https() != null ? ", --https" : "")
                + " and --admin");
      }
      throw e;
    }
    // Port 0 means "any free port": record the one taken so that the CLI finds it.
    settings =
        settings
            .withHttp(new NodeSettings.HostPort(settings.http().host(), node.httpPort()))
            .withAdmin(new NodeSettings.HostPort(settings.admin().host(), node.adminPort()));
    if (settings.https() != null) {
      settings =
          settings.withHttps(new NodeSettings.HostPort(settings.https().host(), node.httpsPort()));
    }
    settings.save(layout.nodeIni());
    return node;
  }
}
