package org.silverlining.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.silverlining.core.IniFile;
import org.silverlining.core.InvalidConfigException;

/**
 * Service settings for development, from {@code ~/.silverlining.conf}: {@code [devel]} for every
 * app and {@code [devel:APP]} for one, keys {@code SERVICE.SETTING} (e.g. {@code postgresql.host =
 * db.local}). The word {@code APP_NAME} in a value becomes the app's name.
 */
final class DevelSettings {
  static final String FILE_NAME = ".silverlining.conf";

  private DevelSettings() {}

  /** Settings by service name, for {@code app}; empty when the file is absent. */
  static Map<String, Map<String, String>> forApp(Path home, String app) throws IOException {
    Path file = home.resolve(FILE_NAME);
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    IniFile ini = IniFile.read(file);
    for (String section : new String[] {"devel", "devel:" + app}) {
      for (IniFile.Entry e : ini.section(section).values()) {
        int dot = e.key().indexOf('.');
        if (dot <= 0) {
          throw new InvalidConfigException(
              file.toString(),
              e.line(),
              "'" + e.key() + "' should be SERVICE.SETTING, e.g. postgresql.host");
        }
        out.computeIfAbsent(e.key().substring(0, dot), k -> new LinkedHashMap<>())
            .put(e.key().substring(dot + 1), e.value().replace("APP_NAME", app));
      }
    }
    return out;
  }
}
