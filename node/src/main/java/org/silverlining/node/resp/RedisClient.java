package org.silverlining.node.resp;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Map;

/**
 * One connection to the Redis at a {@code redis://[user:password@]host:port[/db]} URL, opened when
 * first needed and opened again once when it was lost, for the node's users of a shared Redis (the
 * task store, cron leadership). Scripts run with {@code EVALSHA} (loaded once per connection, again
 * after a {@code NOSCRIPT}). Errors name {@code what} and where, never the credentials.
 * Thread-safe: one call at a time.
 */
public final class RedisClient implements Closeable {
  private final String what;
  private final String host;
  private final int port;
  private final String user;
  private final String password;
  private final int db;
  private final int timeoutMillis;
  private final Map<String, String> shas = new HashMap<>();
  private RespConnection conn;

  /**
   * A client of the Redis at {@code url}, called {@code what} in errors ("the task store"), each
   * reply awaited at most {@code timeoutMillis}. Nothing is connected yet.
   *
   * @throws IllegalArgumentException when {@code url} is not a redis URL
   */
  public RedisClient(String url, String what, int timeoutMillis) {
    URI u;
    try {
      u = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + url + "' is not a redis://host:port[/db] URL");
    }
    if (!"redis".equalsIgnoreCase(u.getScheme())) {
      throw new IllegalArgumentException(
          "'" + url + "' is not a redis://[user:password@]host:port[/db] URL");
    }
    this.what = what;
    this.timeoutMillis = timeoutMillis;
    host = u.getHost() == null ? "127.0.0.1" : u.getHost();
    port = u.getPort() < 0 ? 6379 : u.getPort();
    String info = u.getUserInfo();
    if (info == null) {
      user = null;
      password = null;
    } else {
      int colon = info.indexOf(':');
      user = colon < 0 || colon == 0 ? null : info.substring(0, colon);
      password = colon < 0 ? info : info.substring(colon + 1);
    }
    String path = u.getPath() == null ? "" : u.getPath().replace("/", "");
    try {
      db = path.isEmpty() ? 0 : Integer.parseInt(path);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + path + "' in " + host + " is not a database number");
    }
  }

  /** Runs the Lua {@code script} with no keys and {@code argv}; reconnects once. */
  public synchronized Object eval(String script, String... argv) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try {
        RespConnection c = connection();
        String sha = shas.get(script);
        if (sha == null) {
          sha = (String) c.call("SCRIPT", "LOAD", script);
          shas.put(script, sha);
        }
        String[] cmd = new String[argv.length + 3];
        cmd[0] = "EVALSHA";
        cmd[1] = sha;
        cmd[2] = "0";
        System.arraycopy(argv, 0, cmd, 3, argv.length);
        return c.call(cmd);
      } catch (RespConnection.ErrorReply e) {
        if (attempt > 0 || !e.getMessage().startsWith("NOSCRIPT")) {
          throw e;
        }
        shas.clear();
      } catch (IOException e) {
        drop();
        if (attempt > 0) {
          throw e.getMessage() != null && e.getMessage().contains(toString())
              ? e
              : new IOException(what + " " + this + ": " + e.getMessage(), e);
        }
      }
    }
  }

  /** Sends one command; reconnects once after a lost connection. */
  public synchronized Object call(String... args) throws IOException {
    try {
      return connection().call(args);
    } catch (RespConnection.ErrorReply e) {
      throw e;
    } catch (IOException e) {
      drop();
      return connection().call(args);
    }
  }

  private RespConnection connection() throws IOException {
    if (conn == null) {
      RespConnection c;
      try {
        c = RespConnection.open(host, port, timeoutMillis);
      } catch (IOException e) {
        throw new IOException("cannot reach " + what + " " + this + ": " + e.getMessage(), e);
      }
      try {
        if (password != null) {
          if (user != null) {
            c.call("AUTH", user, password);
          } else {
            c.call("AUTH", password);
          }
        }
        if (db != 0) {
          c.call("SELECT", Integer.toString(db));
        }
      } catch (IOException e) {
        c.close();
        throw new IOException(what + " " + this + ": " + e.getMessage(), e);
      }
      shas.clear();
      conn = c;
    }
    return conn;
  }

  private void drop() {
    if (conn != null) {
      try {
        conn.close();
      } catch (IOException ignored) {
        // already gone
      }
      conn = null;
    }
  }

  /** Where it is, without credentials. */
  @Override
  public String toString() {
    return "redis://" + host + ":" + port + "/" + db;
  }

  @Override
  public synchronized void close() {
    drop();
  }
}
