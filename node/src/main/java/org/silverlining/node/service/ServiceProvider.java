package org.silverlining.node.service;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.silverlining.core.AppConfig;
import org.silverlining.core.IniFile;
import org.silverlining.core.InvalidConfigException;
import org.silverlining.node.errors.InvalidParameterException;
import org.silverlining.node.errors.NotFoundException;

/**
 * The services node's side of a nodeset: provisions an app's server-backed services ({@link
 * Service#usesServer}) on this node's servers, for app servers elsewhere, and hands back their
 * {@code CONFIG_*} variables with the server's address as the app servers reach it. Provisioning is
 * the node's usual one, with the credentials kept here, so every app server gets the same ones
 * however often the app is updated.
 *
 * <p>The address is {@code advertise_host} (and {@code advertise_port}) of {@code [service.NAME]}
 * when set; else the server's {@code host}, unless that is a loopback address, which means "this
 * machine": then the address the CLI reached this node at.
 *
 * <p>The app.ini provided for is kept, so that the app's data here can be checkpointed, backed up
 * and restored ({@link #provided}) by calls that name only the app.
 */
public final class ServiceProvider {
  private final AppServices local;
  private final Function<String, Path> providedIni;

  /**
   * @param providedIni where the app.ini an app's services were last provided for is kept
   */
  public ServiceProvider(AppServices local, Function<String, Path> providedIni) {
    this.local = local;
    this.providedIni = providedIni;
  }

  /**
   * Provisions {@code config}'s server-backed services and returns their variables by service name;
   * {@code ini} is the text {@code config} was read from, kept for {@link #provided}; {@code
   * nodeHost} is this node's address as the app servers reach it.
   */
  public Map<String, Map<String, String>> provide(AppConfig config, String ini, String nodeHost)
      throws ServiceException, IOException {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    List<Services.Bound> bound = serverBacked(config);
    Path kept = providedIni.apply(config.appName());
    Files.createDirectories(kept.getParent());
    org.silverlining.core.PrivateFile.replace(kept, ini);
    for (Services.Bound b : bound) {
      b.service().provision(b.scope());
      ServiceScope s = b.scope();
      ServiceScope seen =
          new ServiceScope(
              s.app(),
              s.alias(),
              s.options(),
              s.mode(),
              advertised(s.server(), nodeHost),
              s.dataDir(),
              s.secrets());
      out.put(b.service().name(), b.service().environment(seen));
    }
    return out;
  }

  /** The names of {@code config}'s services this node would provide. */
  public List<String> providable(AppConfig config) throws ServiceException {
    return serverBacked(config).stream().map(b -> b.service().name()).toList();
  }

  /**
   * The services this node provides for {@code app}, bound here, as the last {@link #provide} for
   * it named them; refused when none did.
   */
  public List<Services.Bound> provided(String app) throws ServiceException {
    if (!AppConfig.isAppName(app)) {
      throw new InvalidParameterException("app", "'" + app + "' is not an app name");
    }
    Path kept = providedIni.apply(app);
    String ini;
    try {
      ini = Files.readString(kept);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new NotFoundException(
          "this node provides no services for "
              + app
              + ": no nodeset update had it provide them (silver update APP SITE.nodeset)");
    } catch (IOException e) {
      throw new ServiceException("cannot read " + kept + ": " + e.getMessage(), e);
    }
    try {
      return serverBacked(
          AppConfig.parse(IniFile.parse(kept.toString(), ini), false).withAppName(app));
    } catch (InvalidConfigException | IllegalArgumentException e) {
      throw new ServiceException(kept + ": " + e.getMessage(), e);
    }
  }

  private List<Services.Bound> serverBacked(AppConfig config) throws ServiceException {
    return local.bind(config).stream().filter(b -> b.service().usesServer()).toList();
  }

  /**
   * The server settings {@code server} with {@code host} and {@code port} as the app servers reach
   * the server.
   */
  static Map<String, String> advertised(Map<String, String> server, String nodeHost) {
    Map<String, String> out = new LinkedHashMap<>(server);
    String host = server.getOrDefault("host", "127.0.0.1").strip();
    String advertised = server.getOrDefault("advertise_host", "").strip();
    if (!advertised.isEmpty()) {
      out.put("host", advertised);
    } else if (isLoopback(host)) {
      out.put("host", nodeHost);
    }
    String port = server.getOrDefault("advertise_port", "").strip();
    if (!port.isEmpty()) {
      out.put("port", port);
    }
    return out;
  }

  /** Whether {@code host} names this machine only: {@code localhost} or a loopback address. */
  static boolean isLoopback(String host) {
    if (host.equals("localhost")) {
      return true;
    }
    if (!host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?")) {
      return false; // a name: not resolved here
    }
    try {
      return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
