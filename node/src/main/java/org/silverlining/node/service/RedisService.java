package org.silverlining.node.service;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.backupformat.RedisBackup;
import org.silverlining.node.backupformat.RedisTarget;
import org.silverlining.node.resp.RespConnection;

/**
 * {@code service.redis}: an ACL user of the app's own on the Redis server (6 or later) of {@code
 * [service.redis]} in node.ini, allowed only keys and channels that start with the app's prefix
 * {@code APP:} ({@code test_APP:} in test mode).
 *
 * <p>The user {@code NAME} is reset and defined again on every provisioning, so its rules and its
 * password (kept in the app's secrets) always match what this class says. It may run every command
 * except the {@code @admin} and {@code @dangerous} ones (FLUSHALL, KEYS, CONFIG, ...) and the two
 * that reveal other apps' key names without naming a key: SCAN and RANDOMKEY.
 */
public final class RedisService implements Service {
  static final int TIMEOUT_MILLIS = 5_000;

  /** How many keys {@link #clear} asks SCAN for at a time. */
  static final int SCAN_COUNT = 500;

  private static final Pattern VERSION = Pattern.compile("(?m)^redis_version:(\\d+)\\.(\\d+)");

  @Override
  public boolean usesServer() {
    return true;
  }

  @Override
  public String name() {
    return "redis";
  }

  @Override
  public void provision(ServiceScope scope) throws ServiceException {
    String user = SqlQuoting.checkedName(scope, name());
    String pattern = globEscape(prefix(scope)) + "*";
    ServerSettings server = server(scope);
    String password = ServicePasswords.getOrCreate(scope, name(), user);
    try (RespConnection admin = connect(server)) {
      int[] version = version(server, String.valueOf(admin.call("INFO", "server")));
      List<String> rules =
          new ArrayList<>(List.of("ACL", "SETUSER", user, "reset", "on", ">" + password));
      rules.add("~" + pattern);
      // Channel rules came with 6.2; before that every user may use every channel.
      if (version[0] > 6 || version[1] >= 2) {
        rules.add("&" + pattern);
      }
      rules.addAll(List.of("+@all", "-@admin", "-@dangerous", "-scan", "-randomkey"));
      admin.call(rules.toArray(String[]::new));
      saveAcl(admin);
    } catch (IOException e) {
      throw failed(server, "cannot define the user '" + user + "'", e);
    }
  }

  @Override
  public Map<String, String> environment(ServiceScope scope) throws ServiceException {
    String user = SqlQuoting.checkedName(scope, name());
    ServerSettings server = server(scope);
    String password = ServicePasswords.stored(scope, name(), user);
    Map<String, String> env = new LinkedHashMap<>();
    env.put(
        "CONFIG_REDIS_URL",
        "redis://"
            + ServerSettings.encode(user)
            + ":"
            + ServerSettings.encode(password)
            + "@"
            + server.where()
            + "/0");
    env.put("CONFIG_REDIS_PREFIX", prefix(scope));
    env.put("CONFIG_REDIS_HOST", server.host());
    env.put("CONFIG_REDIS_PORT", Integer.toString(server.port()));
    env.put("CONFIG_REDIS_USER", user);
    env.put("CONFIG_REDIS_PASSWORD", password);
    return Collections.unmodifiableMap(env);
  }

  /** Deletes the app's keys, in every logical database of the server. */
  @Override
  public void clear(ServiceScope scope) throws ServiceException {
    SqlQuoting.checkedName(scope, name());
    String match = globEscape(prefix(scope)) + "*";
    ServerSettings server = server(scope);
    try (RespConnection admin = connect(server)) {
      for (int db = 0; db < databases(admin); db++) {
        admin.call("SELECT", Integer.toString(db));
        deleteMatching(admin, match);
      }
    } catch (IOException e) {
      throw failed(server, "cannot delete the keys " + match, e);
    }
  }

  /** Deletes the app's keys and its user, and forgets the password. */
  @Override
  public void drop(ServiceScope scope) throws ServiceException {
    String user = SqlQuoting.checkedName(scope, name());
    clear(scope);
    ServerSettings server = server(scope);
    try (RespConnection admin = connect(server)) {
      admin.call("ACL", "DELUSER", user);
      saveAcl(admin);
    } catch (IOException e) {
      throw failed(server, "cannot delete the user '" + user + "'", e);
    }
    ServicePasswords.forget(scope, name(), user);
  }

  @Override
  public String backup(ServiceScope scope, Path dir) throws ServiceException {
    SqlQuoting.checkedName(scope, name());
    ServerSettings server = server(scope);
    try {
      return RedisBackup.write(target(server, scope), dir);
    } catch (IOException e) {
      throw failed(server, "cannot back up the keys " + prefix(scope) + "*", e);
    } catch (BackupException e) {
      throw server.failure("cannot back up the keys " + prefix(scope) + "*", e);
    }
  }

  /** Deletes the app's keys (see {@link #clear}), then writes the backup's. */
  @Override
  public void restore(ServiceScope scope, Path dir) throws ServiceException {
    clear(scope);
    ServerSettings server = server(scope);
    try {
      RedisBackup.restore(target(server, scope), dir);
    } catch (IOException e) {
      throw failed(server, "cannot restore the keys " + prefix(scope) + "*", e);
    } catch (BackupException e) {
      throw server.failure("cannot restore the keys " + prefix(scope) + "*", e);
    }
  }

  private static RedisTarget target(ServerSettings server, ServiceScope scope) {
    return new RedisTarget(
        server.host(), server.port(), server.user(), server.password(), prefix(scope));
  }

  /** The key prefix of the app: its name and {@code :}, after {@code test_} in test mode. */
  static String prefix(ServiceScope scope) {
    return (scope.mode() == ServiceMode.TEST ? "test_" : "") + scope.app() + ":";
  }

  /** {@code s} as a Redis glob pattern that matches only itself. */
  static String globEscape(String s) {
    return s.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
  }

  /**
   * The server's version {major, minor} from {@code info} (of INFO server); fails clearly when it
   * is older than Redis 6, which brought ACLs.
   */
  static int[] version(ServerSettings server, String info) throws ServiceException {
    Matcher m = VERSION.matcher(info);
    if (!m.find()) {
      throw new ServiceException(
          "the Redis server at " + server.where() + " does not say its version in INFO server");
    }
    int[] version = {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    if (version[0] < 6) {
      throw new ServiceException(
          "the Redis server at "
              + server.where()
              + " is version "
              + m.group(1)
              + "."
              + m.group(2)
              + "; per-app users need ACLs, which came with Redis 6: upgrade it");
    }
    return version;
  }

  private static void deleteMatching(RespConnection admin, String match) throws IOException {
    String cursor = "0";
    do {
      List<?> reply =
          (List<?>)
              admin.call("SCAN", cursor, "MATCH", match, "COUNT", Integer.toString(SCAN_COUNT));
      cursor = (String) reply.get(0);
      List<String> keys = new ArrayList<>();
      keys.add("DEL");
      for (Object k : (List<?>) reply.get(1)) {
        keys.add((String) k);
      }
      if (keys.size() > 1) {
        admin.call(keys.toArray(String[]::new));
      }
    } while (!cursor.equals("0"));
  }

  private static int databases(RespConnection admin) throws IOException {
    List<?> reply = (List<?>) admin.call("CONFIG", "GET", "databases");
    return reply.size() == 2 ? Integer.parseInt((String) reply.get(1)) : 16;
  }

  /** Writes the users to the server's ACL file, when it has one, so they survive a restart. */
  private static void saveAcl(RespConnection admin) throws IOException {
    List<?> reply = (List<?>) admin.call("CONFIG", "GET", "aclfile");
    if (reply.size() == 2 && !((String) reply.get(1)).isEmpty()) {
      admin.call("ACL", "SAVE");
    }
  }

  private static ServerSettings server(ServiceScope scope) throws ServiceException {
    return ServerSettings.of(scope, "redis", "Redis", 6379, "");
  }

  private static RespConnection connect(ServerSettings server) throws ServiceException {
    RespConnection c = null;
    try {
      c = RespConnection.open(server.host(), server.port(), TIMEOUT_MILLIS);
      if (!server.password().isEmpty()) {
        if (server.user().isEmpty()) {
          c.call("AUTH", server.password());
        } else {
          c.call("AUTH", server.user(), server.password());
        }
      }
      return c;
    } catch (IOException e) {
      closeQuietly(c);
      throw server.unreachable(e);
    }
  }

  private static void closeQuietly(RespConnection c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // The connection failed already; that failure is the one to report.
      }
    }
  }

  private static ServiceException failed(ServerSettings server, String what, IOException e) {
    String reason = e.getMessage();
    boolean noAcls = reason != null && reason.startsWith("ERR unknown command");
    return server.failure(
        what, e, noAcls ? " (per-app users need ACLs, which came with Redis 6)" : "");
  }
}
