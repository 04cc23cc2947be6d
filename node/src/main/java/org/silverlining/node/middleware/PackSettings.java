package org.silverlining.node.middleware;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.silverlining.node.errors.InvalidParameterException;

/** Checks of settings given to a pack, each refusal naming the pack and the setting. */
final class PackSettings {
  private PackSettings() {}

  /** Refuses a key {@code pack} does not take, listing those it does. */
  static void checkKnown(Pack pack, Map<String, String> given) {
    for (String key : given.keySet()) {
      if (pack.settings().stream().noneMatch(s -> s.matches(key))) {
        throw refused(
            pack,
            key,
            "unknown setting '"
                + key
                + "'; "
                + (pack.settings().isEmpty()
                    ? "it takes none"
                    : "it takes "
                        + pack.settings().stream()
                            .map(s -> s.key().endsWith(".") ? s.key() + "NAME" : s.key())
                            .collect(Collectors.joining(", "))));
      }
    }
  }

  /** The value of {@code key}, which {@code pack} needs: refused, with an example, when missing. */
  static String required(Pack pack, Map<String, String> given, String key, String example) {
    String value = given.get(key);
    if (value == null) {
      throw refused(pack, key, "give " + key + ", e.g. --set " + key + "=" + example);
    }
    return value;
  }

  /** A value that must fit in one header line: no control characters. */
  static String headerValue(Pack pack, String key, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 && c != '\t' || c == 0x7f) {
        throw refused(pack, key, key + " holds a control character; a header value is one line");
      }
    }
    return value.strip();
  }

  /** A header name: an HTTP token. */
  static String headerName(Pack pack, String key, String name) {
    if (name.isEmpty()
        || !name.chars()
            .allMatch(
                c ->
                    c < 128
                        && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0))) {
      throw refused(pack, key, "'" + name + "' is not a header name");
    }
    return name;
  }

  /** One of {@code allowed} (any case), as listed there. */
  static String oneOf(Pack pack, String key, String value, List<String> allowed) {
    for (String a : allowed) {
      if (a.equalsIgnoreCase(value.strip())) {
        return a;
      }
    }
    throw refused(
        pack, key, key + " is one of " + String.join(", ", allowed) + ", not '" + value + "'");
  }

  /** {@code true} or {@code false} (also yes/no, on/off). */
  static boolean flag(Pack pack, String key, String value) {
    return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw refused(pack, key, key + " is true or false, not '" + value + "'");
    };
  }

  static InvalidParameterException refused(Pack pack, String key, String message) {
    return new InvalidParameterException(key, pack.name() + ": " + message);
  }
}
