package org.silverlining.node.staticfiles;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a deployment's named resources resolve to, written by {@link ResourceBuilder} at update
 * time: name → URL in production and in development ({@code null} where a name is not used in that
 * mode), with {@link #STATIC_URL} standing for the deployment's {@code $STATIC_URL}, which may
 * change without a new deployment (a CDN base in the global configuration). {@link #publish} makes
 * the app's {@code SILVER_RESOURCES_FILE} from it when an instance starts.
 *
 * @param rewrite production URL → development URL, for HTML served in development
 */
public record ResourcePlan(
    Map<String, String> production, Map<String, String> development, Map<String, String> rewrite) {
  /** The environment variable naming the file of name → URL. */
  public static final String VARIABLE = "SILVER_RESOURCES_FILE";

  static final String STATIC_URL = "$STATIC_URL";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FOLDER = ".silver";

  static Path planFile(Path instanceDir) {
    return instanceDir.resolve(FOLDER).resolve("resources-plan.json");
  }

  static void write(Path instanceDir, ResourcePlan plan) throws IOException {
    Path file = planFile(instanceDir);
    Files.createDirectories(file.getParent());
    JSON.writeValue(file.toFile(), plan);
  }

  /** The plan of the deployment in {@code instanceDir}, or {@code null} when it has none. */
  public static ResourcePlan read(Path instanceDir) throws IOException {
    Path file = planFile(instanceDir);
    return Files.isRegularFile(file) ? JSON.readValue(file.toFile(), ResourcePlan.class) : null;
  }

  /**
   * Writes the app's resources file for the deployment in {@code instanceDir} and gives its path,
   * or {@code null} when the deployment has no {@code resources.ini}.
   *
   * @param staticUrl the deployment's {@code $STATIC_URL} (null: it has none)
   * @param production production URLs, or development ones
   */
  public static Path publish(Path instanceDir, String staticUrl, boolean production)
      throws IOException {
    ResourcePlan plan = read(instanceDir);
    if (plan == null) {
      return null;
    }
    Map<String, String> urls = new LinkedHashMap<>();
    (production ? plan.production() : plan.development())
        .forEach(
            (name, url) ->
                urls.put(
                    name,
                    url != null && url.startsWith(STATIC_URL) && staticUrl != null
                        ? staticUrl + url.substring(STATIC_URL.length())
                        : url));
    Path file = instanceDir.resolve(FOLDER).resolve("resources.json");
    // Several processes of one instance start at once: each replaces the file whole.
    Path partial = Files.createTempFile(file.getParent(), "resources", ".partial");
    JSON.writerWithDefaultPrettyPrinter().writeValue(partial.toFile(), urls);
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }
}
