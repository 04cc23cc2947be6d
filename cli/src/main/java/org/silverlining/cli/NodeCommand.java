package org.silverlining.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.silverlining.node.Node;
import org.silverlining.node.NodeSettings;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.tls.TlsSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code silver node init|start}: create and run the node daemon on this machine. */
@Command(
    name = "node",
    description = "Create (init) and run (start) a node on this machine.",
    subcommands = {NodeCommand.Init.class, NodeCommand.Start.class, NodeCommand.Trust.class})
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

    @Option(
        names = "--https",
        paramLabel = "HOST:PORT",
        description =
            "Add an HTTPS listener to the front (TLS 1.2+, SNI, HTTP/2), with automatic certificates.")
    String https;

    @Option(
        names = "--admin-tls",
        description =
            "Serve the management API over TLS with a self-signed certificate whose fingerprint this CLI pins (always on when --admin is not loopback).")
    boolean adminTls;

    @Option(
        names = "--acme-directory",
        paramLabel = "URL",
        description =
            "ACME server for automatic certificates (default: Let's Encrypt's production directory; 'off' for none).")
    String acmeDirectory;

    @Option(
        names = "--acme-email",
        paramLabel = "EMAIL",
        description = "Contact address given to the ACME server.")
    String acmeEmail;

    @Option(
        names = "--acme-ca-file",
        paramLabel = "PEM",
        description =
            "Extra CA certificates to trust for the ACME server's own HTTPS (private or test CAs).")
    Path acmeCaFile;

    @Option(
        names = "--print-token",
        hidden = true,
        description = "Register nothing; print the new token as JSON (for setup-node over SSH).")
    boolean printToken;

    @Override
    public Integer call() throws Exception {
      NodeSettings.HostPort httpsAt = address(https);
      java.util.function.UnaryOperator<NodeSettings> change =
          settings -> {
            NodeSettings out = settings;
            if (httpsAt != null) {
              out = out.withHttps(httpsAt);
            }
            if (adminTls) {
              out = out.withAdminTls(true);
            }
            if (acmeDirectory != null || acmeEmail != null || acmeCaFile != null) {
              TlsSettings t = out.tls();
              if (acmeCaFile != null && !java.nio.file.Files.isReadable(acmeCaFile)) {
                throw new UserException("cannot read --acme-ca-file " + acmeCaFile);
              }
              try {
                out =
                    out.withTls(
                        new TlsSettings(
                            acmeDirectory != null ? acmeDirectory : t.acmeDirectory(),
                            acmeEmail != null ? acmeEmail : t.acmeEmail(),
                            acmeCaFile != null ? acmeCaFile : t.acmeCaFile()));
              } catch (IllegalArgumentException e) {
                throw new UserException(e.getMessage());
              }
            }
            return out;
          };
      if (printToken) {
        // setup-node runs this on a server over SSH and reads the line: the registration is the
        // CLI's, on the other end.
        LocalNodes.Made made = LocalNodes.make(root, name, address(http), address(admin), change);
        com.fasterxml.jackson.databind.node.ObjectNode line =
            new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        line.put("token", made.token());
        line.put("fingerprint", made.fingerprint());
        line.put("admin_tls", made.settings().adminOverTls());
        System.out.println(line);
        return 0;
      }
      NodeSettings s = LocalNodes.init(root, name, address(http), address(admin), change);
      System.out.println("Node '" + name + "' is ready in " + root.toAbsolutePath().normalize());
      System.out.println(
          "  front "
              + s.http()
              + (s.https() != null ? ", HTTPS " + s.https() : "")
              + ", management API "
              + s.admin()
              + (s.adminOverTls() ? " (TLS)" : ""));
      if (s.adminOverTls()) {
        System.out.println(
            "  management API certificate "
                + org.silverlining.node.tls.AdminCertificate.load(
                        new org.silverlining.node.layout.NodeLayout(root).adminCertificate())
                    .fingerprint());
      }
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

    @Option(
        names = "--https",
        paramLabel = "HOST:PORT",
        description = "The front's HTTPS listener address.")
    String https;

    @Override
    public Integer call() throws Exception {
      Node node = LocalNodes.start(root, address(http), address(admin), address(https), false);
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
              + (s.adminOverTls() ? " over TLS" : "")
              + (s.https() != null ? ", HTTPS " + s.https() : "")
              + " (pid "
              + ProcessHandle.current().pid()
              + ")");
      if (s.adminOverTls()) {
        // A CLI registered before the API spoke TLS has no pin yet: say what to pin.
        String fingerprint =
            org.silverlining.node.tls.AdminCertificate.load(new NodeLayout(root).adminCertificate())
                .fingerprint();
        System.out.println(
            "  management API certificate "
                + fingerprint
                + " (a CLI without it: silver node trust "
                + s.name()
                + " --fingerprint "
                + fingerprint
                + ")");
      }
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

  @Command(
      name = "trust",
      description = {
        "Pin a new certificate fingerprint for a node's management API (after its key changed).",
        "The CLI refuses any certificate but the pinned one; see the fingerprint on the node with:",
        "  openssl x509 -in ROOT/secrets/admin.pem -noout -fingerprint -sha256"
      })
  static final class Trust implements Callable<Integer> {
    @picocli.CommandLine.Parameters(index = "0", paramLabel = "NAME", description = "The node.")
    String name;

    @Option(
        names = "--fingerprint",
        required = true,
        paramLabel = "F",
        description = "SHA-256 fingerprint, e.g. sha256:AB:CD:... (colons optional).")
    String fingerprint;

    @Override
    public Integer call() throws Exception {
      String hex = org.silverlining.node.tls.AdminCertificate.normalize(fingerprint);
      if (hex.length() != 64) {
        throw new UserException(
            "'"
                + fingerprint
                + "' is not a SHA-256 fingerprint (64 hexadecimal digits, e.g. sha256:AB:CD:...)");
      }
      StringBuilder f = new StringBuilder("sha256:");
      for (int i = 0; i < 64; i += 2) {
        f.append(i == 0 ? "" : ":")
            .append(hex.substring(i, i + 2).toUpperCase(java.util.Locale.ROOT));
      }
      NodeRegistry.forUser().trust(name, f.toString());
      System.out.println("Node '" + name + "': management API certificate " + f + " trusted");
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
