package org.silverlining.node.monitor;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.silverlining.core.Cidr;
import org.silverlining.core.IniFile;
import org.silverlining.core.InvalidConfigException;

/**
 * The monitoring sections of {@code node.ini}: {@code [metrics] allow} (addresses that may scrape
 * {@code /metrics} without a token) and {@code [smtp]} (the server that sends alerts and error
 * reports by e-mail).
 *
 * @param metricsAllow networks allowed to read {@code /metrics} without a token
 * @param smtp the mail server, empty when none is set
 * @param countRequests whether the front counts requests ({@code [metrics] requests = off} turns it
 *     off, to measure what counting costs)
 */
public record MonitorSettings(List<Cidr> metricsAllow, Optional<Smtp> smtp, boolean countRequests) {
  public static final MonitorSettings NONE = new MonitorSettings(List.of(), Optional.empty(), true);

  /**
   * {@code [smtp]}: {@code host}, {@code port} (25), {@code from}, {@code user}, {@code password},
   * {@code starttls} (true when a user is set).
   */
  public record Smtp(
      String host, int port, String from, String user, String password, boolean starttls) {}

  /** True when {@code address} may read the metrics without a token. */
  public boolean metricsAllowed(InetAddress address) {
    return Cidr.anyContains(metricsAllow, address);
  }

  /** Reads {@code file}'s {@code [metrics]} and {@code [smtp]} sections; a missing file: none. */
  public static MonitorSettings load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return NONE;
    }
    IniFile ini = IniFile.read(file);
    List<Cidr> allow = List.of();
    Optional<IniFile.Entry> a = ini.entry("metrics", "allow");
    if (a.isPresent()) {
      try {
        allow = Cidr.parseList(a.get().value());
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException(ini.source(), a.get().line(), "allow: " + e.getMessage());
      }
    }
    Optional<Smtp> smtp = Optional.empty();
    if (ini.hasSection("smtp")) {
      Map<String, IniFile.Entry> s = ini.section("smtp");
      String host = value(s, "host");
      if (host.isEmpty()) {
        throw new InvalidConfigException(
            ini.source(), 0, "[smtp] needs host (e.g. host = mail.example.com)");
      }
      int port = 25;
      if (!value(s, "port").isEmpty()) {
        try {
          port = Integer.parseInt(value(s, "port"));
        } catch (NumberFormatException e) {
          throw new InvalidConfigException(
              ini.source(), s.get("port").line(), "[smtp] port is a number, e.g. 587");
        }
      }
      String user = value(s, "user");
      String tls = value(s, "starttls");
      smtp =
          Optional.of(
              new Smtp(
                  host,
                  port,
                  value(s, "from").isEmpty() ? "silver@localhost" : value(s, "from"),
                  user,
                  value(s, "password"),
                  tls.isEmpty() ? !user.isEmpty() : Boolean.parseBoolean(tls)));
    }
    boolean count = !ini.get("metrics", "requests").map(String::strip).orElse("on").equals("off");
    return new MonitorSettings(allow, smtp, count);
  }

  private static String value(Map<String, IniFile.Entry> section, String key) {
    IniFile.Entry e = section.get(key);
    return e == null ? "" : e.value().strip();
  }
}
