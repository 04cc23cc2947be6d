package org.silverlining.cli.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server of a newer major version than the machine's, from the binaries on the test
 * class path ({@code io.zonky.test.postgres}: initdb, pg_ctl and postgres, no client programs). It
 * is unpacked, initialised with trust authentication and started on a free loopback port, all in a
 * folder of the test's. PostgreSQL refuses to run as root, so as root initdb and the server run as
 * the system user {@code postgres}.
 */
final class NewerPostgres implements AutoCloseable {
  /** The archive inside the binaries' jar. */
  private static final String BINARIES = "postgres-linux-x86_64.txz";

  private final Path dir;
  private final Path data;
  private int port;
  private final List<String> asServerUser;

  private NewerPostgres(Path dir, int port, List<String> asServerUser) {
    this.dir = dir;
    this.data = dir.resolve("data");
    this.port = port;
    this.asServerUser = asServerUser;
  }

  /**
   * Unpacks, initialises and starts the server in a new folder {@code parent/newer-postgresql};
   * skips the test (fails it when CI=true) where the binaries cannot run. As root, {@code parent}
   * becomes passable (not readable) by other users, so that the server's user reaches its folder.
   */
  static NewerPostgres start(Path parent) throws Exception {
    if (!System.getProperty("os.name").equals("Linux")
        || !System.getProperty("os.arch").equals("amd64")) {
      ServicesIT.Servers.unavailable("the newer PostgreSQL's binaries are for Linux on x86-64");
    }
    ServicesIT.Servers.command("tar");
    ServicesIT.Servers.command("xz");
    boolean root = System.getProperty("user.name").equals("root");
    NewerPostgres pg =
        new NewerPostgres(
            Files.createDirectory(parent.resolve("newer-postgresql")),
            0,
            root ? List.of("runuser", "-u", "postgres", "--") : List.of());
    if (root) {
      ServicesIT.Servers.command("runuser");
      UserPrincipal postgres;
      try {
        postgres =
            parent
                .getFileSystem()
                .getUserPrincipalLookupService()
                .lookupPrincipalByName("postgres");
      } catch (IOException e) {
        ServicesIT.Servers.unavailable("there is no system user 'postgres' to run PostgreSQL as");
        throw e;
      }
      Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx--x--x"));
      Files.setPosixFilePermissions(pg.dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.createDirectory(pg.data);
      Files.setOwner(pg.data, postgres);
    }
    pg.unpack();
    pg.run(
        "bin/initdb",
        "--pgdata=" + pg.data,
        "--auth=trust",
        "--username=postgres",
        "--encoding=UTF8",
        "--locale=C",
        "--no-sync");
    pg.listen();
    return pg;
  }

  /**
   * Starts the server on a port below the range the system hands out for port 0, so that no test
   * server binding port 0 takes it in the meantime; PostgreSQL needs its port named (it names its
   * socket file after it). Another port is tried where one is taken.
   */
  private void listen() throws Exception {
    for (int attempt = 1; ; attempt++) {
      port = ThreadLocalRandom.current().nextInt(20_000, 30_000);
      Files.deleteIfExists(data.resolve("server.log"));
      try {
        run(
            "bin/pg_ctl",
            "--pgdata=" + data,
            "--log=" + data.resolve("server.log"),
            "--wait",
            "--timeout=60",
            "-o",
            "-p " + port + " -k " + data + " -c listen_addresses=127.0.0.1 -c fsync=off",
            "start");
        return;
      } catch (IllegalStateException e) {
        if (attempt == 5 || !e.getMessage().contains("Address already in use")) {
          throw e;
        }
      }
    }
  }

  int port() {
    return port;
  }

  /** The server's major version, e.g. 18. */
  int major() throws SQLException {
    try (Connection c = admin();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW server_version_num")) {
      rs.next();
      return Integer.parseInt(rs.getString(1)) / 10000;
    }
  }

  private Connection admin() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres");
  }

  @Override
  public void close() throws Exception {
    if (Files.exists(data.resolve("postmaster.pid"))) {
      run("bin/pg_ctl", "--pgdata=" + data, "--mode=fast", "--wait", "stop");
    }
  }

  /** Unpacks the binaries' archive from the class path into the folder, with the system's tar. */
  private void unpack() throws Exception {
    try (InputStream txz = NewerPostgres.class.getClassLoader().getResourceAsStream(BINARIES)) {
      if (txz == null) {
        ServicesIT.Servers.unavailable(BINARIES + " is not on the test class path");
        return;
      }
      Process tar =
          new ProcessBuilder("tar", "--no-same-owner", "-xJf", "-", "-C", dir.toString())
              .redirectErrorStream(true)
              .start();
      CompletableFuture<String> output = read(tar.getInputStream());
      try (OutputStream in = tar.getOutputStream()) {
        txz.transferTo(in);
      }
      finish(tar, List.of("tar"), output);
    }
  }

  /** Runs an installed program as the server's user, in the folder. */
  private void run(String program, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(asServerUser);
    cmd.add(dir.resolve(program).toString());
    cmd.addAll(List.of(args));
    // The folder as working directory: PostgreSQL's programs fail where they cannot read it.
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    finish(p, cmd, read(p.getInputStream()));
  }

  private void finish(Process p, List<String> cmd, CompletableFuture<String> output)
      throws Exception {
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(cmd + " did not finish within 120 s");
    }
    if (p.exitValue() != 0) {
      Path log = data.resolve("server.log");
      throw new IllegalStateException(
          cmd
              + " failed (exit "
              + p.exitValue()
              + "): "
              + output.get()
              + (Files.isReadable(log) ? "\nserver.log:\n" + Files.readString(log) : ""));
    }
  }

  private static CompletableFuture<String> read(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "";
          }
        });
  }
}
