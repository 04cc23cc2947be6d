package org.silverlining.node.lifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.silverlining.core.InstanceName;
import org.silverlining.node.config.GlobalConfig;
import org.silverlining.node.secret.PlatformSecret;
import org.silverlining.node.staticfiles.ResourcePlan;
import org.silverlining.node.staticfiles.StaticUrls;
import org.silverlining.node.tasks.TaskTokens;

/**
 * The variables the node gives each instance: the node's name ({@code SILVER_NODE}, which tells the
 * app servers of a nodeset apart), where its tasks API is and the instance's token for it, the
 * files of the global configuration and of the platform secret as the app sees them (published when
 * asked, so they are current), its {@code STATIC_URL} when it has a {@code static/} folder and
 * {@code SILVER_RESOURCES_FILE} when it has a {@code resources.ini}; and what {@code more} adds for
 * the instance's app.
 */
public final class InstanceVariables implements Function<String, Map<String, String>> {
  private final String nodeName;
  private final IntSupplier tasksPort;
  private final TaskTokens taskTokens;
  private final GlobalConfig globalConfig;
  private final PlatformSecret secret;
  private final StaticUrls staticUrls;
  private final Function<String, Map<String, String>> more;

  public InstanceVariables(
      String nodeName,
      IntSupplier tasksPort,
      TaskTokens taskTokens,
      GlobalConfig globalConfig,
      PlatformSecret secret,
      StaticUrls staticUrls,
      Function<String, Map<String, String>> more) {
    this.nodeName = nodeName;
    this.tasksPort = tasksPort;
    this.taskTokens = taskTokens;
    this.globalConfig = globalConfig;
    this.secret = secret;
    this.staticUrls = staticUrls;
    this.more = more;
  }

  @Override
  public Map<String, String> apply(String instance) {
    String app = InstanceName.parse(instance).app();
    String globalFile;
    String secretsFile;
    String staticUrl;
    java.nio.file.Path resourcesFile;
    try {
      globalFile = globalConfig.publish(app).toString();
      secretsFile = secret.publish(app).toString();
      staticUrl = staticUrls.of(instance);
      resourcesFile = staticUrls.resourcesFile(instance, staticUrl);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the state of " + instance, e);
    }
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("SILVER_NODE", nodeName);
    vars.put("SILVER_TASKS_URL", "http://127.0.0.1:" + tasksPort.getAsInt());
    vars.put("SILVER_TASKS_TOKEN", taskTokens.tokenFor(instance));
    vars.put("SILVER_GLOBAL_CONFIG", globalFile);
    vars.put("SILVER_SECRETS_FILE", secretsFile);
    if (staticUrl != null) {
      vars.put("STATIC_URL", staticUrl);
    }
    if (resourcesFile != null) {
      vars.put(ResourcePlan.VARIABLE, resourcesFile.toString());
    }
    vars.putAll(more.apply(app));
    return vars;
  }
}
