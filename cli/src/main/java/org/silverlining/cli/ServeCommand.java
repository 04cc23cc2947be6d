package org.silverlining.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.silverlining.core.AppArchive;
import org.silverlining.core.AppConfig;
import org.silverlining.core.IgnoreRules;
import org.silverlining.core.InvalidConfigException;
import org.silverlining.node.Node;
import org.silverlining.node.NodeSettings;
import org.silverlining.node.deploy.DeployFailedException;
import org.silverlining.node.deploy.Deployer;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.steps.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code silver serve APP_DIR}: runs the app locally through the same front, routing and supervisor
 * as a node, in development mode ({@code [devel]} overrides, {@code SILVER_VERSION=devel/…}), and
 * deploys it again whenever its files change.
 */
@Command(
    name = "serve",
    description = {
      "Run the app in APP_DIR locally in development mode, through the same HTTP front as a node, and restart it (with zero downtime) whenever its files change.",
      "Named resources of resources.ini: the app gets their development URLs (the members of a combination, each `devel` URL), and static HTML files have their production URLs replaced by the development ones; --minify serves what production will.",
      "Ctrl-C stops it."
    })
final class ServeCommand implements Callable<Integer> {
  /** Changes closer together than this are taken as one. */
  static final long SETTLE_MILLIS = 300;

  @Parameters(index = "0", paramLabel = "APP_DIR")
  Path appDir;

  @Option(
      names = "--http",
      defaultValue = "127.0.0.1:8080",
      paramLabel = "HOST:PORT",
      description = "Where to listen (default: ${DEFAULT-VALUE}).")
  String http;

  @Option(
      names = "--minify",
      description =
          "Serve resources.ini as production does: combinations minified, production URLs in SILVER_RESOURCES_FILE, HTML as written.")
  boolean minify;

  @Override
  public Integer call() throws Exception {
    AppConfig config;
    try {
      config = AppConfig.load(appDir, true);
    } catch (InvalidConfigException e) {
      throw new UserException(e.getMessage());
    }
    NodeLayout layout = new NodeLayout(appDir.resolve(".silver").resolve("serve"));
    NodeSettings settings =
        new NodeSettings(
            "serve",
            NodeCommand.address(http),
            new NodeSettings.HostPort("127.0.0.1", 0),
            DevelSettings.forApp(NodeRegistry.home(), config.appName()));
    Node node;
    try {
      // The front opens once the app is deployed: its first answer is the app's.
      node = Node.start(layout, settings, true, false);
    } catch (IOException e) {
      throw new UserException(
          "cannot listen on " + http + " (" + e.getMessage() + "); choose another with --http");
    }
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "serve-shutdown"));
    if (minify) {
      node.staticUrls().serveMinified();
    }
    deploy(node, config.appName());
    try {
      node.openFront();
    } catch (IOException e) {
      node.close();
      throw new UserException(
          "cannot listen on " + http + " (" + e.getMessage() + "); choose another with --http");
    }
    System.out.println(
        "Serving "
            + config.appName()
            + " at http://127.0.0.1:"
            + node.httpPort()
            + "/ (development mode); watching "
            + appDir
            + " for changes. Ctrl-C stops.");
    watch(node, config.appName());
    return 0;
  }

  private void deploy(Node node, String app) throws IOException {
    // Beside the development node's data rather than in the system's temporary folder: a serve
    // stopped while it deploys leaves it where the next deploy writes it again.
    Path archive = node.layout().uploadsDir().resolve("serve.tar.gz");
    Files.createDirectories(archive.getParent());
    try {
      try (OutputStream o = Files.newOutputStream(archive)) {
        AppArchive.pack(appDir, o);
      }
      try (InputStream in = Files.newInputStream(archive)) {
        String instance =
            node.deployer()
                .deploy(
                    new Deployer.Request(app, "default", true, null, "serve"), in, Progress.NONE);
        System.out.println("Running " + instance);
      } catch (DeployFailedException e) {
        System.out.println("Could not start (" + e.stage() + "): " + e.getMessage());
        e.logTail().forEach(l -> System.out.println("  " + l));
        System.out.println("Fix it and save: the app restarts on the next change.");
      } catch (java.sql.SQLException e) {
        throw new IOException(e);
      }
    } finally {
      Files.deleteIfExists(archive);
    }
  }

  private void watch(Node node, String app) throws IOException, InterruptedException {
    IgnoreRules ignore = IgnoreRules.of(appDir);
    try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
      register(watcher, ignore);
      while (true) {
        WatchKey key;
        try {
          key = watcher.take();
        } catch (ClosedWatchServiceException e) {
          return;
        }
        key.pollEvents();
        key.reset();
        // Let a burst of saves settle, then deploy once.
        WatchKey more;
        while ((more = watcher.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
          more.pollEvents();
          more.reset();
        }
        register(watcher, ignore); // new folders
        System.out.println("Files changed; restarting");
        deploy(node, app);
      }
    }
  }

  private void register(WatchService watcher, IgnoreRules ignore) throws IOException {
    Path root = appDir.toAbsolutePath().normalize();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            if (!dir.equals(root) && ignore.ignores(root.relativize(dir).toString(), true)) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            dir.register(
                watcher,
                StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
