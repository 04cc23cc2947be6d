package org.silverlining.cli.scaffold;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.silverlining.core.AppConfig;
import org.silverlining.core.Runtime;

/**
 * The starting files of a new application, written by {@code silver init DIR --runtime R}: one
 * template per runtime, each of which runs as it is, with no build step ({@code silver serve .}).
 *
 * <p>Templates are resources under {@code org/silverlining/cli/scaffold/RUNTIME/}; every {@code
 * {{app_name}}} in them is replaced by the application's name. Files already in the folder are kept
 * as they are, except that a folder with an {@code app.ini} is refused: it is an app already.
 */
public final class Scaffold {
  /** The text replaced by the application's name in every template file. */
  public static final String APP_NAME_PLACEHOLDER = "{{app_name}}";

  /** The name used when none can be made from the folder's name. */
  public static final String FALLBACK_APP_NAME = "app";

  /** One DNS label, so that the scaffolded {@code default_location = NAME.localhost} is valid. */
  private static final int MAX_APP_NAME_LENGTH = 63;

  private static final Pattern APP_NAME = Pattern.compile("[a-z]([a-z0-9-]{0,61}[a-z0-9])?");

  /**
   * The files of each template. Jar resources cannot be listed portably, so they are named here.
   * {@code app.ini} comes last: if writing stops half-way, {@code silver init} can be run again.
   */
  private static final Map<Runtime, List<String>> TEMPLATES =
      Map.of(
          Runtime.JAVA, List.of(".silverignore", "README.md", "src/Main.java", AppConfig.FILE_NAME),
          Runtime.COMMAND, List.of(".silverignore", "README.md", "app.py", AppConfig.FILE_NAME),
          Runtime.STATIC, List.of("README.md", "static/index.html", AppConfig.FILE_NAME));

  private Scaffold() {}

  /**
   * Writes the {@code runtime} template into {@code dir}, creating the folder if needed, and
   * returns the files written, in order.
   *
   * @param runtime {@code java}, {@code command} or {@code static}
   * @param appName the application's name, or {@code null} for {@link #appNameFor(Path) the one
   *     made from the folder's name}
   * @throws IllegalArgumentException when the runtime is unknown, the name is not a valid app name,
   *     or {@code dir} already has an {@code app.ini}
   */
  public static List<Path> write(Path dir, String runtime, String appName) throws IOException {
    Runtime chosen = runtime(runtime);
    String name = appName == null ? appNameFor(dir) : checkedAppName(appName);
    if (AppConfig.exists(dir)) {
      throw new IllegalArgumentException(
          dir.resolve(AppConfig.FILE_NAME)
              + " already exists; "
              + dir
              + " is an app already (run silver init in a new or empty folder)");
    }
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    for (String file : TEMPLATES.get(chosen)) {
      Path target = dir.resolve(file);
      if (Files.exists(target)) {
        continue;
      }
      if (target.getParent() != null) {
        Files.createDirectories(target.getParent());
      }
      String text = template(chosen, file).replace(APP_NAME_PLACEHOLDER, name);
      Files.writeString(target, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
      written.add(target);
    }
    return List.copyOf(written);
  }

  /**
   * The app name made from {@code dir}'s name: lower-cased, each character outside {@code
   * [a-z0-9-]} turned into {@code -}, leading characters up to the first letter and trailing dashes
   * dropped, at most 63 characters; {@value #FALLBACK_APP_NAME} when nothing is left.
   */
  public static String appNameFor(Path dir) {
    Path fileName = dir.toAbsolutePath().normalize().getFileName();
    String name = fileName == null ? "" : fileName.toString().toLowerCase(Locale.ROOT);
    name = name.replaceAll("[^a-z0-9-]", "-").replaceFirst("^[^a-z]+", "");
    if (name.length() > MAX_APP_NAME_LENGTH) {
      name = name.substring(0, MAX_APP_NAME_LENGTH);
    }
    // A trailing dash is a valid app name but not a valid host label in NAME.localhost.
    name = name.replaceFirst("-+$", "");
    return name.isEmpty() ? FALLBACK_APP_NAME : name;
  }

  /** The runtime ids a template exists for, in the order they are offered. */
  public static List<String> runtimes() {
    return Arrays.stream(Runtime.values()).filter(TEMPLATES::containsKey).map(Runtime::id).toList();
  }

  private static Runtime runtime(String id) {
    Runtime runtime = id == null ? null : Runtime.byId(id.strip().toLowerCase(Locale.ROOT));
    if (runtime == null || !TEMPLATES.containsKey(runtime)) {
      throw new IllegalArgumentException(
          "unknown runtime '" + id + "'; use one of " + String.join(", ", runtimes()));
    }
    return runtime;
  }

  private static String checkedAppName(String appName) {
    if (!APP_NAME.matcher(appName).matches()) {
      throw new IllegalArgumentException(
          "app name '"
              + appName
              + "' must start with a letter, use only a-z, 0-9 and '-', not end in '-' and be at"
              + " most "
              + MAX_APP_NAME_LENGTH
              + " characters long, e.g. guestbook");
    }
    return appName;
  }

  private static String template(Runtime runtime, String file) throws IOException {
    String resource = runtime.id() + "/" + file;
    try (InputStream in = Scaffold.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "the " + runtime.id() + " template lacks " + file + "; the silver build is incomplete");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
