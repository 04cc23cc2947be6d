package org.silverlining.node.service;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.silverlining.core.AppConfig;
import org.silverlining.node.errors.InvalidParameterException;

/**
 * The services a nodeset's services node provides for apps on this app server: for each app, the
 * {@code CONFIG_*} variables the services node handed back for each of its server-backed services
 * ({@link Service#usesServer}), kept in the app's secrets folder ({@value #FILE}, mode 600). As the
 * node's {@link AppServices}, it leaves those services out of what is provisioned and checkpointed
 * here (the services node provisioned them; this node has no administrator of that server) and
 * gives the stored variables in their place. Services the services node does not provide — files,
 * SQLite — stay this node's own.
 */
public final class SharedServices implements AppServices {
  static final String FILE = "shared-services.properties";
  private static final String PROVIDER = "provider";
  private static final Pattern VARIABLE = Pattern.compile("CONFIG_[A-Z0-9_]{1,64}");

  private final AppServices local;
  private final Services services;
  private final Function<String, Path> secretsDir;

  /**
   * @param local the app's services bound to this node's own servers
   * @param secretsDir an app's secrets folder
   */
  public SharedServices(AppServices local, Services services, Function<String, Path> secretsDir) {
    this.local = local;
    this.services = services;
    this.secretsDir = secretsDir;
  }

  /** What the services node {@code provider} provides for {@code app}, by service name. */
  public record Provided(String provider, Map<String, Map<String, String>> variables) {}

  @Override
  public List<Services.Bound> bind(AppConfig config) throws ServiceException {
    Map<String, Map<String, String>> shared = load(config.appName()).variables();
    List<Services.Bound> own = new ArrayList<>();
    for (Services.Bound b : local.bind(config)) {
      if (!isShared(b, shared)) {
        own.add(b);
      }
    }
    return own;
  }

  @Override
  public Map<String, String> environment(AppConfig config) throws ServiceException {
    Map<String, Map<String, String>> shared = load(config.appName()).variables();
    Map<String, String> env = new LinkedHashMap<>();
    for (Services.Bound b : local.bind(config)) {
      env.putAll(
          isShared(b, shared)
              ? shared.get(b.service().name())
              : b.service().environment(b.scope()));
    }
    return env;
  }

  private static boolean isShared(Services.Bound b, Map<String, Map<String, String>> shared) {
    return b.service().usesServer() && shared.containsKey(b.service().name());
  }

  /**
   * Keeps what {@code provider} provides for {@code app}, replacing what was kept; a service name
   * this node does not know, one kept in the node's own folders, or a variable not named {@code
   * CONFIG_*} is refused, keeping nothing. Takes effect at each process's next start.
   */
  public synchronized void keep(String app, String provider, Map<String, Map<String, String>> vars)
      throws IOException, InvalidParameterException {
    Properties p = new Properties();
    p.setProperty(PROVIDER, provider);
    for (Map.Entry<String, Map<String, String>> e : vars.entrySet()) {
      Service s;
      try {
        s = services.find(e.getKey());
      } catch (ServiceException unknown) {
        throw new InvalidParameterException("services", unknown.getMessage());
      }
      if (!s.usesServer() || !s.name().equals(e.getKey())) {
        throw new InvalidParameterException(
            "services", "'" + e.getKey() + "' is not a service a services node provides");
      }
      for (Map.Entry<String, String> v : e.getValue().entrySet()) {
        if (!VARIABLE.matcher(v.getKey()).matches()) {
          throw new InvalidParameterException(
              "services", "'" + v.getKey() + "' is not a CONFIG_* variable name");
        }
        p.setProperty(e.getKey() + "." + v.getKey(), v.getValue());
      }
    }
    Path dir = secretsDir.apply(app);
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    StringWriter text = new StringWriter();
    p.store(text, "the services the node " + provider + " provides for " + app + "; keep private");
    org.silverlining.core.PrivateFile.replace(dir.resolve(FILE), text.toString());
  }

  /**
   * Forgets what another node provided for {@code app}, whose services are this node's own again
   * from each process's next start; whether anything was kept.
   */
  public synchronized boolean forget(String app) throws IOException {
    return Files.deleteIfExists(secretsDir.apply(app).resolve(FILE));
  }

  /** What is kept for {@code app}: no provider and nothing when its services are its own. */
  public synchronized Provided load(String app) throws ServiceException {
    Path file = secretsDir.apply(app).resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return new Provided(null, Map.of());
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    } catch (IOException e) {
      throw new ServiceException("cannot read " + file + ": " + e.getMessage(), e);
    }
    Map<String, Map<String, String>> vars = new TreeMap<>();
    for (String key : p.stringPropertyNames()) {
      int dot = key.indexOf('.');
      if (dot > 0) {
        vars.computeIfAbsent(key.substring(0, dot), k -> new TreeMap<>())
            .put(key.substring(dot + 1), p.getProperty(key));
      }
    }
    return new Provided(p.getProperty(PROVIDER), vars);
  }
}
