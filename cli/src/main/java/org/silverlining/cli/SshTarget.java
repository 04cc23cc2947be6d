package org.silverlining.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.silverlining.core.PrivateFile;

/**
 * A server reached with the system's OpenSSH client: key login only (no password prompt), and the
 * host keys pinned on first use in a known_hosts file of the CLI's own, so that a server whose key
 * changed is refused.
 */
final class SshTarget {
  /** {@code USER@HOST}, {@code HOST}, {@code USER@[IPV6]}. */
  private static final Pattern HOST =
      Pattern.compile(
          "(?:([A-Za-z0-9._][A-Za-z0-9._-]*)@)?([A-Za-z0-9][A-Za-z0-9.-]*|\\[[0-9A-Fa-f:.]+\\])");

  /** The result of a command run on the server. */
  record Result(int exitCode, String stdout, String stderr) {}

  private final String user;
  private final String host;
  private final int port;
  private final Path identity;
  private final Path knownHosts;

  SshTarget(String user, String host, int port, Path identity, Path knownHosts) {
    this.user = user;
    this.host = host;
    this.port = port;
    this.identity = identity;
    this.knownHosts = knownHosts;
  }

  /** The target given as {@code --host USER@HOST --ssh-port N --identity FILE}, checked. */
  static SshTarget parse(String text, Integer port, Path identity, Path knownHosts) {
    if (text == null || text.isBlank()) {
      throw new UserException(
          "--provider ssh needs --host USER@HOST (the server to set the node up on)");
    }
    var m = HOST.matcher(text);
    if (!m.matches()) {
      throw new UserException(
          "--host '"
              + text
              + "' is not USER@HOST: a user name, '@', and a host name or address (e.g."
              + " root@203.0.113.5, deploy@app1.example.com)");
    }
    int p = port == null ? 22 : port;
    if (p < 1 || p > 65535) {
      throw new UserException("--ssh-port " + p + " is not a port (1 to 65535)");
    }
    if (identity != null && !Files.isReadable(identity)) {
      throw new UserException("cannot read the --identity file " + identity);
    }
    String h =
        m.group(2).startsWith("[") ? m.group(2).substring(1, m.group(2).length() - 1) : m.group(2);
    return new SshTarget(
        m.group(1),
        h,
        p,
        identity == null ? null : identity.toAbsolutePath().normalize(),
        knownHosts);
  }

  String user() {
    return user;
  }

  String host() {
    return host;
  }

  int port() {
    return port;
  }

  Path identity() {
    return identity;
  }

  /** {@code USER@HOST}, as given. */
  String destination() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return user == null ? h : user + "@" + h;
  }

  @Override
  public String toString() {
    return destination() + (port == 22 ? "" : " port " + port);
  }

  /** The name the server's keys go by in known_hosts. */
  private String keyName() {
    return port == 22 ? host : "[" + host + "]:" + port;
  }

  /**
   * Makes sure the server's host key is pinned: when it is not yet, shows the keys the server
   * presents and pins them if {@code yes} or the user says so.
   */
  void pinHostKey(boolean yes, PrintStream out) throws IOException {
    if (Files.isRegularFile(knownHosts)
        && local(List.of("ssh-keygen", "-F", keyName(), "-f", knownHosts.toString()), null)
                .exitCode()
            == 0) {
      return;
    }
    Result scan =
        local(List.of("ssh-keyscan", "-T", "10", "-p", Integer.toString(port), host), null);
    List<String> keys =
        scan.stdout().lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    if (keys.isEmpty()) {
      throw new UserException(
          "no SSH server answered at "
              + host
              + " port "
              + port
              + lastLine(scan.stderr(), ": ")
              + "; check --host and --ssh-port");
    }
    Path scanned = Files.createTempFile("silver-hostkeys", ".txt");
    try {
      Files.writeString(scanned, String.join("\n", keys) + "\n");
      Result fingerprints = local(List.of("ssh-keygen", "-l", "-f", scanned.toString()), null);
      out.println("The server " + keyName() + " presents the host keys:");
      fingerprints.stdout().lines().forEach(l -> out.println("  " + l));
      if (!yes
          && !ConfirmOption.ask(
              "Pin them in " + knownHosts + " and trust this server from now on?")) {
        throw new UserException("the server's host key was not trusted; nothing was done");
      }
    } finally {
      Files.deleteIfExists(scanned);
    }
    Files.createDirectories(knownHosts.getParent());
    PrivateFile.append(knownHosts, String.join("\n", keys) + "\n");
    out.println("Pinned the host keys of " + keyName() + " in " + knownHosts);
  }

  /** Runs the shell script {@code script} on the server (sh, as the login user). */
  Result script(String script) throws IOException {
    return ssh(List.of("sh", "-s"), script.getBytes(StandardCharsets.UTF_8), null);
  }

  /** As {@link #script}, failing with {@code what} and the script's error output if it fails. */
  String check(String what, String script) throws IOException {
    Result r = script(script);
    if (r.exitCode() != 0) {
      throw new UserException(
          "on "
              + this
              + ", "
              + what
              + " failed (exit "
              + r.exitCode()
              + ")"
              + lastLines(r.stderr() + r.stdout()));
    }
    return r.stdout();
  }

  /** Copies {@code file} to {@code remote} on the server, replacing it at once when complete. */
  void upload(Path file, String remote) throws IOException {
    String part = remote + ".part";
    Result r =
        ssh(
            List.of(
                "sh",
                "-c",
                "mkdir -p \"$(dirname "
                    + quote(remote)
                    + ")\" && cat > "
                    + quote(part)
                    + " && mv -f "
                    + quote(part)
                    + " "
                    + quote(remote)),
            null,
            file);
    if (r.exitCode() != 0) {
      throw new UserException(
          "copying "
              + file.getFileName()
              + " to "
              + this
              + ":"
              + remote
              + " failed"
              + lastLines(r.stderr()));
    }
  }

  private Result ssh(List<String> command, byte[] input, Path inputFile) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ssh"));
    cmd.addAll(
        List.of(
            "-o", "BatchMode=yes",
            "-o", "StrictHostKeyChecking=yes",
            "-o", "UserKnownHostsFile=" + knownHosts,
            "-o", "GlobalKnownHostsFile=/dev/null",
            "-o", "ConnectTimeout=10",
            "-o", "ServerAliveInterval=15",
            "-o", "LogLevel=ERROR",
            "-p", Integer.toString(port)));
    if (identity != null) {
      cmd.addAll(List.of("-i", identity.toString(), "-o", "IdentitiesOnly=yes"));
    }
    cmd.add(destination());
    cmd.add("--");
    cmd.add(String.join(" ", command.stream().map(SshTarget::quoteIfNeeded).toList()));
    Result r = run(cmd, input, inputFile);
    if (r.exitCode() == 255) {
      throw loginFailure(r.stderr());
    }
    return r;
  }

  private UserException loginFailure(String stderr) {
    if (stderr.contains("Host key verification failed")
        || stderr.contains("REMOTE HOST IDENTIFICATION HAS CHANGED")) {
      return new UserException(
          "the server "
              + keyName()
              + " presented a host key other than the one pinned in "
              + knownHosts
              + ": it was reinstalled, or something is in between; nothing was done. If its key"
              + " changed on purpose, compare the new one with the server's (ssh-keygen -lf"
              + " /etc/ssh/ssh_host_ed25519_key.pub on it), then forget the old one with: ssh-keygen -R '"
              + keyName()
              + "' -f "
              + knownHosts);
    }
    if (stderr.contains("Permission denied")) {
      return new UserException(
          "the server "
              + this
              + " refused the login"
              + lastLines(stderr)
              + "; log in with a key the server's authorized_keys lists (--identity FILE)");
    }
    return new UserException("cannot reach " + this + " over SSH" + lastLines(stderr));
  }

  /** Runs a command on this machine. */
  private static Result local(List<String> cmd, byte[] input) throws IOException {
    return run(cmd, input, null);
  }

  private static Result run(List<String> cmd, byte[] input, Path inputFile) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    if (inputFile != null) {
      pb.redirectInput(inputFile.toFile());
    } else if (input == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new UserException(
          "cannot run "
              + cmd.get(0)
              + " ("
              + e.getMessage()
              + "); install the OpenSSH client (apt-get install openssh-client)");
    }
    CompletableFuture<String> out = read(p.getInputStream());
    CompletableFuture<String> err = read(p.getErrorStream());
    if (input != null) {
      try (var in = p.getOutputStream()) {
        in.write(input);
      }
    }
    try {
      if (!p.waitFor(30, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new UserException(cmd.get(0) + " did not finish within 30 minutes");
      }
      return new Result(p.exitValue(), out.get(), err.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new UserException("interrupted");
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException(e.getCause());
    }
  }

  private static CompletableFuture<String> read(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toString(StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "";
          }
        });
  }

  /** {@code s} quoted for a POSIX shell. */
  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static String quoteIfNeeded(String s) {
    return s.matches("[A-Za-z0-9_./=:-]+") ? s : quote(s);
  }

  private static String lastLine(String text, String prefix) {
    List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
    return lines.isEmpty() ? "" : prefix + lines.get(lines.size() - 1).strip();
  }

  /** The last lines of a command's output, for an error message. */
  private static String lastLines(String text) {
    List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
    return lines.isEmpty()
        ? ""
        : ": "
            + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()))
                .strip();
  }
}
