package org.silverlining.node.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.silverlining.core.Cidr;
import org.silverlining.core.IniFile;
import org.silverlining.core.InvalidConfigException;
import org.silverlining.core.TimeSpan;

/**
 * The {@code [security]} section of {@code node.ini}.
 *
 * @param allow networks whose clients are never banned; their events are marked allowed
 * @param probes the paths scanners look for, the built-in ones and {@code probes = …}
 * @param banAfter how many events within {@code banWindow} ban a client; 0: no bans
 * @param banWindow the window {@code banAfter} counts in
 * @param banFor how long a ban lasts
 */
public record SecuritySettings(
    List<Cidr> allow, Probes probes, int banAfter, Duration banWindow, Duration banFor) {
  static final String SECTION = "security";
  private static final Set<String> KEYS = Set.of("allow", "probes", "ban_after", "ban_for");
  private static final Pattern BAN_AFTER = Pattern.compile("(\\d{1,6})\\s*/\\s*(\\S+)");
  static final Duration DEFAULT_BAN_FOR = Duration.ofHours(1);

  /** No allowlist, the built-in probes, no bans. */
  public static final SecuritySettings DEFAULT =
      new SecuritySettings(List.of(), Probes.BUILT_IN, 0, Duration.ZERO, Duration.ZERO);

  /** True when clients are banned after {@code banAfter} events. */
  public boolean bans() {
    return banAfter > 0;
  }

  /**
   * Reads {@code [security]} of {@code nodeIni}; a missing file or section: {@link #DEFAULT}.
   *
   * @throws InvalidConfigException naming the file, the line and the key of a bad value
   */
  public static SecuritySettings load(Path nodeIni) throws IOException {
    if (!Files.isRegularFile(nodeIni)) {
      return DEFAULT;
    }
    IniFile ini = IniFile.read(nodeIni);
    if (!ini.hasSection(SECTION)) {
      return DEFAULT;
    }
    Map<String, IniFile.Entry> s = ini.section(SECTION);
    for (IniFile.Entry e : s.values()) {
      if (!KEYS.contains(e.key())) {
        throw bad(ini, e, "unknown key; [security] takes allow, probes, ban_after and ban_for");
      }
    }
    List<Cidr> allow = List.of();
    IniFile.Entry a = s.get("allow");
    if (a != null) {
      try {
        allow = Cidr.parseList(a.value());
      } catch (IllegalArgumentException x) {
        throw bad(ini, a, x.getMessage());
      }
    }
    Probes probes = Probes.BUILT_IN;
    IniFile.Entry p = s.get("probes");
    if (p != null) {
      try {
        probes = Probes.BUILT_IN.with(List.of(p.value().strip().split("[\\s,]+")));
      } catch (IllegalArgumentException x) {
        throw bad(ini, p, x.getMessage());
      }
    }
    int after = 0;
    Duration window = Duration.ZERO;
    IniFile.Entry b = s.get("ban_after");
    if (b != null) {
      Matcher m = BAN_AFTER.matcher(b.value().strip());
      try {
        if (!m.matches() || Integer.parseInt(m.group(1)) < 1) {
          throw new IllegalArgumentException();
        }
        after = Integer.parseInt(m.group(1));
        window = TimeSpan.parse(m.group(2));
      } catch (IllegalArgumentException x) {
        throw bad(
            ini,
            b,
            "'"
                + b.value().strip()
                + "' is not a count of events in a span of time, e.g. 20/10m (at least 1 event)");
      }
      if (window.isZero()) {
        throw bad(ini, b, "the span of time of '" + b.value().strip() + "' is zero");
      }
    }
    Duration banFor = after > 0 ? DEFAULT_BAN_FOR : Duration.ZERO;
    IniFile.Entry f = s.get("ban_for");
    if (f != null) {
      if (after == 0) {
        throw bad(ini, f, "ban_for needs ban_after (e.g. ban_after = 20/10m)");
      }
      try {
        banFor = TimeSpan.parse(f.value());
      } catch (IllegalArgumentException x) {
        throw bad(ini, f, x.getMessage());
      }
      if (banFor.isZero()) {
        throw bad(ini, f, "a ban of 0 seconds bans nobody: remove ban_after instead");
      }
    }
    return new SecuritySettings(allow, probes, after, window, banFor);
  }

  private static InvalidConfigException bad(IniFile ini, IniFile.Entry e, String problem) {
    return new InvalidConfigException(
        ini.source(), e.line(), "[" + SECTION + "] " + e.key() + ": " + problem);
  }
}
