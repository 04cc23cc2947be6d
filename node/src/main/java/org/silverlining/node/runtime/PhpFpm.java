package org.silverlining.node.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where Debian's php-fpm is: {@code /usr/sbin/php-fpm}, or a versioned {@code php-fpmX.Y}. */
final class PhpFpm {
  private static final List<String> VERSIONS = List.of("8.4", "8.3", "8.2", "8.1", "7.4");

  private PhpFpm() {}

  static String find() {
    Path plain = Path.of("/usr/sbin/php-fpm");
    if (Files.isExecutable(plain)) {
      return plain.toString();
    }
    for (String v : VERSIONS) {
      Path p = Path.of("/usr/sbin/php-fpm" + v);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return plain.toString();
  }
}
