package org.silverlining.cli.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server for end-to-end tests: {@code /usr/sbin/sshd} on a loopback address and a
 * free port, with a configuration, host key and authorized_keys of its own in a temporary folder,
 * key login only for the user running the tests, whose key is {@link #identity()}.
 */
final class TestSshd implements AutoCloseable {
  private final Path dir;
  private final String address;
  private final int port;
  private Process sshd;

  private TestSshd(Path dir, String address, int port) {
    this.dir = dir;
    this.address = address;
    this.port = port;
  }

  /** An sshd on {@code address} (e.g. 127.0.0.21) with a new host key and client key. */
  static TestSshd start(Path dir, String address) throws Exception {
    Files.createDirectories(dir);
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
      port = s.getLocalPort();
    }
    TestSshd d = new TestSshd(dir, address, port);
    keygen(dir.resolve("id"));
    Files.copy(dir.resolve("id.pub"), dir.resolve("authorized_keys"));
    d.startWithNewHostKey();
    return d;
  }

  /** Stops the server and starts it again on the same address and port with a new host key. */
  void startWithNewHostKey() throws Exception {
    stop();
    Files.deleteIfExists(dir.resolve("hostkey"));
    Files.deleteIfExists(dir.resolve("hostkey.pub"));
    keygen(dir.resolve("hostkey"));
    Files.writeString(
        dir.resolve("sshd_config"),
        String.join(
            "\n",
            "ListenAddress " + address + ":" + port,
            "HostKey " + dir.resolve("hostkey"),
            "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
            "PermitRootLogin prohibit-password",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "StrictModes no",
            "PidFile " + dir.resolve("sshd.pid"),
            ""));
    Files.createDirectories(Path.of("/run/sshd"));
    sshd =
        new ProcessBuilder(
                "/usr/sbin/sshd", "-D", "-e", "-f", dir.resolve("sshd_config").toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sshd.log").toFile()))
            .start();
    // Up once it accepts a connection.
    for (int i = 0; i < 100; i++) {
      try (Socket s = new Socket(address, port)) {
        return;
      } catch (IOException e) {
        if (!sshd.isAlive()) {
          throw new IllegalStateException(
              "sshd exited: " + Files.readString(dir.resolve("sshd.log")));
        }
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("sshd did not listen on " + address + ":" + port);
  }

  private static void keygen(Path key) throws Exception {
    Process p =
        new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
            .redirectErrorStream(true)
            .start();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(
          "ssh-keygen failed: " + new String(p.getInputStream().readAllBytes()));
    }
  }

  /** {@code --host USER@ADDRESS --ssh-port PORT --identity KEY} for create-node. */
  List<String> options() {
    return List.of(
        "--host",
        System.getProperty("user.name") + "@" + address,
        "--ssh-port",
        Integer.toString(port),
        "--identity",
        identity().toString());
  }

  Path identity() {
    return dir.resolve("id");
  }

  String address() {
    return address;
  }

  private void stop() throws InterruptedException {
    if (sshd != null && sshd.isAlive()) {
      sshd.destroy();
      sshd.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws Exception {
    stop();
  }
}
