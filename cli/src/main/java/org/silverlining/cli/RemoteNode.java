package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.silverlining.core.Hashing;
import org.silverlining.node.NodeSettings;

/**
 * A node on a server reached over SSH ({@code create-node --provider ssh}, {@code setup-node},
 * {@code destroy-node}). The node's software is this CLI's jar, copied to {@code
 * ROOT/software/silver.jar}; it runs as a systemd service where systemd runs and the login user is
 * root, else under a small supervisor script ({@code ROOT/software/run-node}) that starts it again
 * when it exits by itself. Every step looks first and changes only what differs, so that setting up
 * a node that is set up changes nothing.
 */
final class RemoteNode {
  /** The oldest Java the node runs on. */
  static final int JAVA_MAJOR = 17;

  private static final Pattern JAVA_VERSION = Pattern.compile("version \"(\\d+)(?:\\.(\\d+))?");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final NodeRegistry registry;
  private final Map<String, String> entry;
  private final SshTarget target;
  private final String root;
  private final PrintStream out;

  private RemoteNode(
      String name, NodeRegistry registry, Map<String, String> entry, PrintStream out) {
    this.name = name;
    this.registry = registry;
    this.entry = entry;
    this.out = out;
    this.target =
        SshTarget.parse(
            entry.get("host"),
            Integer.valueOf(entry.getOrDefault("ssh_port", "22")),
            entry.containsKey("identity") ? Path.of(entry.get("identity")) : null,
            registry.knownHosts());
    this.root = entry.get("remote_root");
  }

  static boolean isRemote(Map<String, String> entry) {
    return "ssh".equals(entry.get("provider"));
  }

  /** {@code create-node --provider ssh}: checks the login, registers the node, sets it up. */
  static int create(
      String name,
      Path root,
      NodeSettings.HostPort http,
      NodeSettings.HostPort admin,
      SshTarget target,
      boolean yes,
      PrintStream out)
      throws IOException {
    if (!root.isAbsolute()) {
      throw new UserException(
          "--root " + root + " is not an absolute path (a folder on the server)");
    }
    NodeSettings.HostPort httpAt = http != null ? http : NodeSettings.DEFAULT_HTTP;
    // The CLI reaches the management API over the network: on every address by default, over TLS.
    NodeSettings.HostPort adminAt =
        admin != null ? admin : new NodeSettings.HostPort("0.0.0.0", 8081);
    target.pinHostKey(yes, out);
    target.check("logging in", "true");
    out.println("Logged in to " + target);
    NodeRegistry registry = NodeRegistry.forUser();
    Map<String, String> entry = new LinkedHashMap<>();
    entry.put("provider", "ssh");
    entry.put("host", target.destination());
    entry.put("ssh_port", Integer.toString(target.port()));
    if (target.identity() != null) {
      entry.put("identity", target.identity().toString());
    }
    entry.put("remote_root", root.normalize().toString());
    entry.put("http", httpAt.toString());
    entry.put("admin_listen", adminAt.toString());
    entry.put("admin", adminUrl(target, adminAt, !NodeSettings.isLoopback(adminAt.host())));
    entry.put("token", "");
    registry.update(name, entry);
    try {
      new RemoteNode(name, registry, entry, out).setup(yes);
    } catch (UserException e) {
      throw new UserException(
          e.getMessage()
              + "\nThe node "
              + name
              + " is registered; once this is fixed, finish with: silver setup-node "
              + name);
    }
    return 0;
  }

  /** {@code setup-node} for a node made with {@code --provider ssh}. */
  static void setup(String name, boolean yes, PrintStream out) throws IOException {
    NodeRegistry registry = NodeRegistry.forUser();
    new RemoteNode(name, registry, registry.entry(name), out).setup(yes);
  }

  /** {@code destroy-node} for a node made with {@code --provider ssh}. */
  static void destroy(String name, boolean purge, PrintStream out) throws IOException {
    NodeRegistry registry = NodeRegistry.forUser();
    RemoteNode node = new RemoteNode(name, registry, registry.entry(name), out);
    out.println("Stopping the node " + name + " on " + node.target + " and its apps...");
    node.target.check(
        "stopping the node",
        node.vars() + STOP + "rm -rf \"$R/software\"\n" + (purge ? "rm -rf \"$R\"\n" : ""));
    out.println(
        "Removed the node's software"
            + (purge ? " and its data (" + node.root + ")" : "; its data stays in " + node.root)
            + " on "
            + node.target);
  }

  private void setup(boolean yes) throws IOException {
    List<String> changes = new ArrayList<>();
    target.pinHostKey(yes, out);
    Map<String, String> facts = probe();
    out.println(
        "Setting up the node "
            + name
            + " on "
            + target
            + " in "
            + root
            + (facts.get("systemd").equals("yes") && facts.get("uid").equals("0")
                ? " (a systemd service)"
                : " (supervised by ROOT/software/run-node)"));

    if (javaMajor(facts.get("java_version")) < JAVA_MAJOR) {
      installJava(facts);
      changes.add("installed Java");
      facts = probe();
      if (javaMajor(facts.get("java_version")) < JAVA_MAJOR) {
        throw new UserException(
            "Java "
                + JAVA_MAJOR
                + " or newer is still missing on "
                + target
                + " after apt-get install default-jre-headless: "
                + facts.get("java_version"));
      }
    }
    String javaPath = facts.get("java");

    Path jar = LocalNodes.ownJar();
    String software = Hashing.sha256(jar);
    boolean newSoftware = !software.equals(facts.get("jar"));
    if (newSoftware) {
      long mb = java.nio.file.Files.size(jar) >> 20;
      try (StatusLine status =
          StatusLine.start(
              out,
              ms ->
                  "Copying the node software ("
                      + mb
                      + " MB) to "
                      + target
                      + " ("
                      + ms / 1000
                      + " s)")) {
        target.upload(jar, root + "/software/silver.jar");
      }
      out.println(
          "  copied the node software (" + mb + " MB, sha256 " + software.substring(0, 12) + ")");
      changes.add("software");
    }

    String token = entry.getOrDefault("token", "");
    if (!facts.containsKey("node_ini") || token.isEmpty()) {
      String made =
          target.check(
              "node init",
              vars()
                  + SshTarget.quote(javaPath)
                  + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar \"$R/software/silver.jar\" node init --root \"$R\" --name "
                  + SshTarget.quote(name)
                  + " --http "
                  + SshTarget.quote(entry.get("http"))
                  + " --admin "
                  + SshTarget.quote(entry.get("admin_listen"))
                  + " --print-token\n");
      JsonNode line =
          JSON.readTree(
              made.lines()
                  .filter(l -> l.startsWith("{"))
                  .reduce((a, b) -> b)
                  .orElseThrow(
                      () ->
                          new UserException(
                              "node init on " + target + " printed no token: " + made)));
      entry.put("token", line.path("token").asText());
      String fingerprint = line.path("fingerprint").asText("");
      if (fingerprint.isEmpty() || line.path("fingerprint").isNull()) {
        entry.remove("fingerprint");
      } else {
        entry.put("fingerprint", fingerprint);
      }
      NodeSettings.HostPort adminAt = NodeSettings.HostPort.parse(entry.get("admin_listen"));
      entry.put("admin", adminUrl(target, adminAt, line.path("admin_tls").asBoolean()));
      out.println("  wrote " + root + "/node.ini and a token for this CLI");
      changes.add("node.ini");
    }

    boolean systemd = facts.get("systemd").equals("yes") && facts.get("uid").equals("0");
    String service = systemd ? unit(javaPath) : runner(javaPath);
    String servicePath = systemd ? unitPath() : root + "/software/run-node";
    boolean newService = !Hashing.sha256(service).equals(facts.get("service"));
    if (newService) {
      target.check(
          "writing " + servicePath,
          vars()
              + "mkdir -p \"$R/software\" \"$R/logs\"\ncat > "
              + SshTarget.quote(servicePath)
              + " <<'SILVER_EOF'\n"
              + service
              + "SILVER_EOF\nchmod 755 "
              + SshTarget.quote(servicePath)
              + "\n"
              + (systemd
                  ? "systemctl daemon-reload\nsystemctl enable -q " + unitName() + "\n"
                  : ""));
      out.println("  wrote " + servicePath);
      changes.add("service");
    }

    boolean running = facts.containsKey("running");
    if (running && (newSoftware || newService)) {
      out.println("  restarting the node on the new software...");
      target.check(
          "restarting the node",
          vars() + (systemd ? "systemctl restart " + unitName() + "\n" : STOP + START));
      changes.add("restarted");
    } else if (!running) {
      target.check(
          "starting the node", vars() + (systemd ? "systemctl start " + unitName() + "\n" : START));
      out.println("  started the node");
      changes.add("started");
    }

    registry.update(name, entry);
    JsonNode me = NodeAnswer.await(registry, name, () -> null, this::consoleTail, out);
    if (SoftwareCheck.differs(me.path("software").asText(""), software)) {
      throw new UserException(
          "the node "
              + name
              + " answers, but runs other software than the one just copied (an older node still"
              + " running on its address?); see "
              + root
              + "/logs/node-console.log on "
              + target);
    }
    out.println(
        "Node "
            + name
            + " is up on "
            + target
            + ": silver "
            + me.path("version").asText()
            + ", front "
            + entry.get("http")
            + ", management API "
            + entry.get("admin")
            + (changes.isEmpty() ? "; it was set up already, nothing changed" : ""));
  }

  /** What is on the server now, one {@code key=value} a line. */
  private Map<String, String> probe() throws IOException {
    String facts =
        target.check(
            "looking at the server",
            vars()
                + """
                J=$(command -v java 2>/dev/null || true)
                echo "java=$J"
                [ -n "$J" ] && echo "java_version=$("$J" -version 2>&1 | head -1)"
                echo "uid=$(id -u)"
                SD=no
                [ -d /run/systemd/system ] && [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ] && SD=yes
                echo "systemd=$SD"
                command -v apt-get > /dev/null && echo apt=yes
                [ -f "$R/software/silver.jar" ] && echo "jar=$(sha256sum "$R/software/silver.jar" | cut -d' ' -f1)"
                [ -f "$R/node.ini" ] && echo node_ini=yes
                if [ "$SD" = yes ] && [ "$(id -u)" = 0 ]; then S="$UNIT"; else S="$R/software/run-node"; fi
                [ -f "$S" ] && echo "service=$(sha256sum "$S" | cut -d' ' -f1)"
                if [ "$S" = "$UNIT" ]; then
                  systemctl is-active -q "$UNIT_NAME" && echo running=yes
                else
                  pid=$(cat "$R/software/node.pid" 2>/dev/null) && kill -0 "$pid" 2>/dev/null && grep -q run-node "/proc/$pid/cmdline" 2>/dev/null && echo running=yes
                fi
                true
                """);
    Map<String, String> m = new LinkedHashMap<>();
    facts
        .lines()
        .filter(l -> l.contains("="))
        .forEach(l -> m.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
    if (m.getOrDefault("java", "").isEmpty()) {
      m.remove("java");
    }
    return m;
  }

  private void installJava(Map<String, String> facts) throws IOException {
    if (!facts.containsKey("apt")) {
      throw new UserException(
          "Java "
              + JAVA_MAJOR
              + " or newer is missing on "
              + target
              + " ("
              + facts.getOrDefault("java_version", "no java")
              + ") and it has no apt-get; install a Java runtime there, then run: silver setup-node "
              + name);
    }
    try (StatusLine status =
        StatusLine.start(
            out, ms -> "Installing Java on " + target + " with apt-get (" + ms / 1000 + " s)")) {
      target.check(
          "installing Java (apt-get install default-jre-headless; a user other than root needs sudo without a password)",
          "set -e\nif [ \"$(id -u)\" = 0 ]; then S=; else S='sudo -n'; fi\n"
              + "$S env DEBIAN_FRONTEND=noninteractive apt-get update -qq\n"
              + "$S env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless > /dev/null\n");
    }
    out.println("  installed Java (default-jre-headless)");
  }

  /** The major version in {@code java -version}'s first line; 0 when there is no Java. */
  static int javaMajor(String versionLine) {
    if (versionLine == null) {
      return 0;
    }
    Matcher m = JAVA_VERSION.matcher(versionLine);
    if (!m.find()) {
      return 0;
    }
    int major = Integer.parseInt(m.group(1));
    return major == 1 && m.group(2) != null ? Integer.parseInt(m.group(2)) : major;
  }

  /** The shell variables the scripts use: the root, and the systemd unit. */
  private String vars() {
    return "R="
        + SshTarget.quote(root)
        + "\nUNIT_NAME="
        + unitName()
        + "\nUNIT="
        + unitPath()
        + "\n";
  }

  private String unitName() {
    return "silver-node-" + name + ".service";
  }

  private String unitPath() {
    return "/etc/systemd/system/" + unitName();
  }

  private String startCommand(String java) {
    return SshTarget.quote(java)
        + " "
        + String.join(" ", LocalNodes.nodeJavaOptions())
        + " -jar "
        + SshTarget.quote(root + "/software/silver.jar")
        + " node start --root "
        + SshTarget.quote(root);
  }

  /** The systemd unit: on failure started again; a stop stops the node, which stops its apps. */
  private String unit(String java) {
    return "[Unit]\nDescription=silver node "
        + name
        + "\nAfter=network-online.target\nWants=network-online.target\n\n[Service]\nExecStart="
        + startCommand(java)
        + "\nRestart=on-failure\nRestartSec=2\n"
        + "# SIGTERM to the node alone, which stops its apps; whatever is left after the timeout is killed.\n"
        + "KillMode=mixed\nTimeoutStopSec=60\n\n[Install]\nWantedBy=multi-user.target\n";
  }

  /** The supervisor where systemd does not run ({@link NodeRunner}). */
  private String runner(String java) {
    return NodeRunner.script(name, root, startCommand(java));
  }

  /** Starts the supervisor in a session of its own, detached from the SSH login. */
  private static final String START =
      """
      cd /
      if command -v setsid > /dev/null; then D=setsid; else D=; fi
      $D nohup sh "$R/software/run-node" > /dev/null 2>&1 < /dev/null &
      """;

  /**
   * Stops the node: its systemd service (and removes the unit), or its supervisor, which stops the
   * node; what is left of the supervisor's session a minute later (the node, its apps) is killed.
   */
  private static final String STOP =
      """
      if [ -f "$UNIT" ]; then
        systemctl disable -q --now "$UNIT_NAME" 2> /dev/null
        rm -f "$UNIT"; systemctl daemon-reload
      fi
      pid=$(cat "$R/software/node.pid" 2>/dev/null)
      if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q run-node "/proc/$pid/cmdline" 2>/dev/null; then
        kill -TERM "$pid"
        i=0
        while kill -0 "$pid" 2>/dev/null && [ $i -lt 120 ]; do sleep 0.5; i=$((i+1)); done
        kill -KILL -- "-$pid" 2>/dev/null
      fi
      rm -f "$R/software/node.pid"
      """;

  /** Where the CLI reaches the API listening on {@code admin} of the server {@code target}. */
  static String adminUrl(SshTarget target, NodeSettings.HostPort admin, boolean tls) {
    String host = admin.host();
    if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::")) {
      host = target.host();
    }
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return (tls ? "https://" : "http://") + host + ":" + admin.port();
  }

  /** Where to look when the node does not answer, with the end of what it printed. */
  private String consoleTail() {
    String where = root + "/logs/node-console.log on " + target;
    try {
      SshTarget.Result tail = target.script(vars() + "tail -n 3 \"$R/logs/node-console.log\"\n");
      List<String> lines = tail.stdout().lines().filter(l -> !l.isBlank()).distinct().toList();
      return lines.isEmpty() ? where : where + ", which ends: " + String.join(" | ", lines);
    } catch (IOException | UserException e) {
      return where;
    }
  }
}
