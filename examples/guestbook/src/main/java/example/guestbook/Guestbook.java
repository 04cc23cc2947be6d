package example.guestbook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A guestbook: a page of entries and a form to add one. It keeps them in the database the platform
 * gives it — {@code CONFIG_PG_JDBC_URL} when the app asks for {@code service.postgresql}, else
 * {@code CONFIG_SQLITE_JDBC_URL} — and knows nothing else about where it runs.
 */
public final class Guestbook {
  private final String jdbcUrl;

  private Guestbook(String jdbcUrl) {
    this.jdbcUrl = jdbcUrl;
  }

  public static void main(String[] args) throws Exception {
    // Without TCP_NODELAY the JDK server sends a small body only after the peer's delayed ACK:
    // about 40 ms per request on a keep-alive connection, such as the node's pool to the app.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    Map<String, String> env = System.getenv();
    String url = env.getOrDefault("CONFIG_PG_JDBC_URL", env.get("CONFIG_SQLITE_JDBC_URL"));
    if (url == null) {
      System.err.println("no database: add service.sqlite = (or service.postgresql =) to app.ini");
      System.exit(2);
    }
    Guestbook app = new Guestbook(url);
    app.createTable();
    int port = Integer.parseInt(env.getOrDefault("PORT", "8080"));
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/ping", ex -> send(ex, 200, "text/plain", "ok\n"));
    server.createContext("/", app::handle);
    server.start();
    System.out.println(
        "guestbook on 127.0.0.1:"
            + port
            + " using "
            + url.replaceAll("password=[^&]*", "password=***"));
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl);
  }

  private void createTable() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS entries (id INTEGER PRIMARY KEY "
              + (jdbcUrl.startsWith("jdbc:postgresql")
                  ? "GENERATED ALWAYS AS IDENTITY"
                  : "AUTOINCREMENT")
              + ", name VARCHAR(100) NOT NULL, message VARCHAR(2000) NOT NULL)");
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    // Behind a location with a path, links and redirects must carry the prefix.
    String prefix = ex.getRequestHeaders().getFirst("X-Forwarded-Prefix");
    String base = prefix == null ? "/" : prefix + "/";
    try {
      if (ex.getRequestMethod().equals("POST")) {
        Map<String, String> form =
            form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String name = form.getOrDefault("name", "").strip();
        String message = form.getOrDefault("message", "").strip();
        if (!name.isEmpty() && !message.isEmpty()) {
          add(name, message);
        }
        ex.getResponseHeaders().set("Location", base);
        ex.sendResponseHeaders(303, -1);
        ex.close();
        return;
      }
      send(ex, 200, "text/html; charset=utf-8", page(base));
    } catch (SQLException e) {
      send(ex, 500, "text/plain", "database error: " + e.getMessage() + "\n");
    }
  }

  private void add(String name, String message) throws SQLException {
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement("INSERT INTO entries(name, message) VALUES (?, ?)")) {
      ps.setString(1, name.length() > 100 ? name.substring(0, 100) : name);
      ps.setString(2, message.length() > 2000 ? message.substring(0, 2000) : message);
      ps.executeUpdate();
    }
  }

  private String page(String base) throws SQLException {
    StringBuilder html = new StringBuilder();
    html.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Guestbook</title>")
        .append(
            "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40em;margin:3em auto;color:#222}")
        .append("li{margin:.5em 0}input,textarea{font:inherit;width:100%}</style></head><body>")
        .append("<h1>Guestbook</h1><ul>");
    int count = 0;
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT name, message FROM entries ORDER BY id DESC LIMIT 100")) {
      while (rs.next()) {
        count++;
        html.append("<li><b>")
            .append(escape(rs.getString(1)))
            .append("</b>: ")
            .append(escape(rs.getString(2)))
            .append("</li>");
      }
    }
    if (count == 0) {
      html.append("<li>No entries yet. Be the first!</li>");
    }
    html.append("</ul><form method=\"post\" action=\"")
        .append(escape(base))
        .append("\">")
        .append("<p><input name=\"name\" placeholder=\"Your name\" required></p>")
        .append(
            "<p><textarea name=\"message\" placeholder=\"Your message\" required></textarea></p>")
        .append("<p><button>Sign</button></p></form></body></html>\n");
    return html.toString();
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static void send(HttpExchange ex, int status, String type, String text)
      throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }
}
