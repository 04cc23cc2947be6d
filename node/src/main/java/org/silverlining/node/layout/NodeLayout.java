package org.silverlining.node.layout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Every path of a node's documented layout, computed from its root. Nothing else in the node builds
 * a path by hand.
 *
 * <pre>
 * ROOT/node.ini  state.db  node.lock
 * ROOT/monitor.db                              the monitoring history and error groups (bounded)
 * ROOT/lib/                                    the SQLite driver's native library, copied at start
 * ROOT/runtime/                                the runtimes' support files (python/), written at start;
 *                                              runtime/php/ the php-fpm pool of each PHP process
 * ROOT/apps/APP/instances/APP.YYYYMMDD_NNN/   files/  writable-root/  sqlite/  tmp/  config/
 * ROOT/apps/APP/secrets/                       credentials of the app's services (mode 700)
 * ROOT/apps/APP/config/repo/                   configuration revisions (bare git repository)
 * ROOT/apps/APP/config/current                 the newest revision's files (SILVER_APP_CONFIG)
 * ROOT/apps/APP/log-level                     the app's log level (SILVER_LOG_LEVEL_FILE)
 * ROOT/apps/APP/global-config.ini              global settings with the app's overrides
 *                                              (SILVER_GLOBAL_CONFIG, replaced atomically)
 * ROOT/global-config/repo/  current            global settings, as revisions
 * ROOT/backups/APP/checkpoints/ID/             backups taken before an update or a restore
 * ROOT/apps/APP/manifests/INSTANCE.jsonl       the files each deployment brought (path, size, sha256)
 * ROOT/backups/APP/scheduled/ID/               backups taken by backup.schedule, pruned to keep
 * ROOT/backups/APP/restore.json                the step a running restore is in
 * ROOT/uploads/                                archives being received
 * ROOT/middleware/NAME/VERSION/                a third-party middleware pack's folder, as applied
 * ROOT/logs/node.log  access.log  logs/apps/APP/app.log  cron.log  update.log  tasks.log  errors.log
 * ROOT/secrets/tokens                          admin tokens, as SHA-256 hashes (mode 600)
 * ROOT/secrets/keyring.json                    the rotating platform secret (mode 600)
 * ROOT/secrets/nodesets.properties            the nodesets this node is an app server of (mode 600)
 * ROOT/apps/APP/keyring.json                   the app's copy of it (SILVER_SECRETS_FILE, mode 600)
 * ROOT/secrets/admin.pem                       the management API's TLS certificate and key (mode 600)
 * ROOT/secrets/acme-account.pem                the ACME account's key (mode 600)
 * ROOT/certs/HOST/certificate.pem              the front's certificate for HOST: chain and key
 *                                              (mode 600; *.example.com is kept as _.example.com)
 * </pre>
 */
public record NodeLayout(Path root) {
  public NodeLayout {
    root = root.toAbsolutePath().normalize();
  }

  public Path nodeIni() {
    return root.resolve("node.ini");
  }

  public Path stateDb() {
    return root.resolve("state.db");
  }

  /** The monitoring history: the node's own metric series and error groups (SQLite). */
  public Path monitorDb() {
    return root.resolve("monitor.db");
  }

  public Path lockFile() {
    return root.resolve("node.lock");
  }

  /** Where the SQLite driver's native library is copied out of the jar when the node starts. */
  public Path nativeLibDir() {
    return root.resolve("lib");
  }

  /** The runtimes' support files, written from the node's jar when it starts. */
  public Path runtimeSupportDir() {
    return root.resolve("runtime");
  }

  public Path appsDir() {
    return root.resolve("apps");
  }

  public Path appDir(String app) {
    return appsDir().resolve(app);
  }

  public Path instancesDir(String app) {
    return appDir(app).resolve("instances");
  }

  public Path instanceDir(String app, String instance) {
    return instancesDir(app).resolve(instance);
  }

  public Path appTmp(String app) {
    return appDir(app).resolve("tmp");
  }

  /** Where the app's services keep credentials they made (database passwords). */
  public Path appSecrets(String app) {
    return appDir(app).resolve("secrets");
  }

  /**
   * On a nodeset's services node: the app.ini of the last update that had this node provide the
   * app's services, from which its checkpoints and backups here bind them.
   */
  public Path appProvidedIni(String app) {
    return appDir(app).resolve("provided-app.ini");
  }

  /** Where the node keeps backups of the app's data. */
  public Path appBackups(String app) {
    return root.resolve("backups").resolve(app);
  }

  /** The checkpoints of the app's data, one backup folder each. */
  public Path appCheckpoints(String app) {
    return appBackups(app).resolve("checkpoints");
  }

  /** The file manifest of {@code instance}: one JSON line per file (path, size, sha256). */
  public Path instanceManifest(String app, String instance) {
    return appDir(app).resolve("manifests").resolve(instance + ".jsonl");
  }

  /**
   * The record of the restore of the app's data that is running: the step it is in, written before
   * the step acts, gone once the restore ends.
   */
  public Path appRestoreRecord(String app) {
    return appBackups(app).resolve("restore.json");
  }

  /** The scheduled backups of the app's data ({@code backup.schedule}), one backup folder each. */
  public Path appScheduledBackups(String app) {
    return appBackups(app).resolve("scheduled");
  }

  public Path appConfig(String app) {
    return appDir(app).resolve("config");
  }

  /** The bare git repository of the app's configuration revisions. */
  public Path appConfigRepo(String app) {
    return appConfig(app).resolve("repo");
  }

  /** The app's log level, one word: its SILVER_LOG_LEVEL_FILE (replaced atomically). */
  public Path appLogLevel(String app) {
    return appDir(app).resolve("log-level");
  }

  /** The folder showing the newest configuration revision: the app's SILVER_APP_CONFIG. */
  public Path appConfigCurrent(String app) {
    return appConfig(app).resolve("current");
  }

  /** The app's view of the global configuration: its SILVER_GLOBAL_CONFIG file. */
  public Path appGlobalConfig(String app) {
    return appDir(app).resolve("global-config.ini");
  }

  public Path globalConfigDir() {
    return root.resolve("global-config");
  }

  public Path uploadsDir() {
    return root.resolve("uploads");
  }

  /** Third-party middleware packs: {@code NAME/VERSION/} each. */
  public Path middlewareDir() {
    return root.resolve("middleware");
  }

  public Path logsDir() {
    return root.resolve("logs");
  }

  public Path nodeLog() {
    return logsDir().resolve("node.log");
  }

  public Path accessLog() {
    return logsDir().resolve("access.log");
  }

  /** {@code logs/security.log}: attempted attacks and refusals, one JSON object a line. */
  public Path securityLog() {
    return logsDir().resolve("security.log");
  }

  public Path appLogsDir(String app) {
    return logsDir().resolve("apps").resolve(app);
  }

  public Path appLog(String app) {
    return appLogsDir(app).resolve("app.log");
  }

  public Path secretsDir() {
    return root.resolve("secrets");
  }

  /** The nodesets this node is an app server of, with their Redis URLs (mode 600). */
  public Path nodesetsFile() {
    return secretsDir().resolve("nodesets.properties");
  }

  public Path tokensFile() {
    return secretsDir().resolve("tokens");
  }

  /** The rotating platform secret: the node's key ring (mode 600). */
  public Path keyringFile() {
    return secretsDir().resolve("keyring.json");
  }

  /** The app's copy of the key ring: its SILVER_SECRETS_FILE (mode 600, replaced atomically). */
  public Path appKeyring(String app) {
    return appDir(app).resolve("keyring.json");
  }

  /** The certificates the front serves over HTTPS, one folder per host. */
  public Path certsDir() {
    return root.resolve("certs");
  }

  /** The management API's self-signed TLS certificate and its key. */
  public Path adminCertificate() {
    return secretsDir().resolve("admin.pem");
  }

  /** The key that seals secrets the node keeps in state.db, such as TOTP secrets (mode 600). */
  public Path sealingKey() {
    return secretsDir().resolve("sealing.key");
  }

  /** The key of the node's account at its ACME server. */
  public Path acmeAccountKey() {
    return secretsDir().resolve("acme-account.pem");
  }

  /** Creates the folders every node has. */
  public void create() throws IOException {
    for (Path p : new Path[] {appsDir(), uploadsDir(), logsDir(), secretsDir()}) {
      Files.createDirectories(p);
    }
  }

  /** Creates the folders of {@code app}. */
  public void createApp(String app) throws IOException {
    for (Path p : new Path[] {instancesDir(app), appTmp(app), appConfig(app), appLogsDir(app)}) {
      Files.createDirectories(p);
    }
  }
}
