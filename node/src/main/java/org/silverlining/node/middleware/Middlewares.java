package org.silverlining.node.middleware;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.silverlining.core.Location;
import org.silverlining.node.errors.InvalidParameterException;
import org.silverlining.node.errors.NotFoundException;
import org.silverlining.node.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each location's middleware: the packs applied to it, in order, and the revisions they went
 * through. Every change goes one way: settings checked by the pack, the new chain built, the
 * revision recorded in the state store, then the chain published to the front in one swap; a
 * refusal at any step before the recording changes nothing. Middleware an unchanged pack already
 * runs (a rate limit's counts, a third-party pack's process) is kept across changes; what the new
 * chain no longer uses is closed after the swap.
 */
public final class Middlewares {
  private static final Logger log = LoggerFactory.getLogger(Middlewares.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<AppliedPack>> STACK = new TypeReference<>() {};

  private final StateStore state;
  private final Packs packs;
  private final MiddlewareChains chains;
  private final Map<Location, Map<AppliedPack, Middleware>> running = new HashMap<>();

  public Middlewares(StateStore state, Packs packs, MiddlewareChains chains) {
    this.state = state;
    this.packs = packs;
    this.chains = chains;
  }

  /** A pack as listings show it: secret settings hidden. */
  public record PackView(String name, String version, Map<String, String> settings) {}

  /** A location's middleware now; revision 0 before the first change. */
  public record Stack(String location, int revision, List<PackView> packs) {}

  /** What a change recorded. */
  public record Change(String location, int revision, String message, List<PackView> packs) {}

  /** One revision in a listing. */
  public record RevisionView(
      int revision, String who, String at, String message, List<String> packs) {}

  /** Builds every location's chain from its newest revision; the node calls it as it starts. */
  public synchronized void load() throws SQLException {
    for (StateStore.MiddlewareRevisionRecord r : state.newestMiddleware()) {
      Location location = Location.parse(r.location());
      List<AppliedPack> stack = read(r.packs());
      try {
        publish(location, build(location, stack));
      } catch (RuntimeException e) {
        // Fail closed: a location whose packs cannot run is not served without them.
        log.error("the middleware of {} cannot run; it answers 503: {}", location, e.toString());
        publish(location, Map.of(new AppliedPack("broken", "0", Map.of()), unavailable()));
      }
    }
  }

  /**
   * Applies {@code packName} with {@code given} settings to {@code location}: replaces it where it
   * is when already applied, else adds it last — or before the pack {@code before}.
   */
  public synchronized Change apply(
      String location, String packName, Map<String, String> given, String before, String who)
      throws SQLException {
    Location at = parse(location);
    Pack pack =
        packs
            .named(packName)
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "no middleware pack called '"
                            + packName
                            + "'; silver middleware lists them"));
    AppliedPack applied = new AppliedPack(pack.name(), pack.version(), pack.prepare(given));
    List<AppliedPack> stack = new ArrayList<>(current(at));
    int place = indexOf(stack, pack.name());
    if (before != null) {
      if (before.equals(pack.name())) {
        throw new InvalidParameterException("before", "a pack cannot go before itself");
      }
      if (indexOf(stack, before) < 0) {
        throw new InvalidParameterException(
            "before", "'" + before + "' is not applied to " + at + "; show-middleware lists them");
      }
    }
    if (place >= 0) {
      stack.remove(place);
    }
    if (before != null) {
      stack.add(indexOf(stack, before), applied);
    } else if (place >= 0) {
      stack.add(place, applied);
    } else {
      stack.add(applied);
    }
    return change(at, stack, "Apply " + pack.name(), who);
  }

  /** Removes the pack {@code packName} from {@code location}. */
  public synchronized Change remove(String location, String packName, String who)
      throws SQLException {
    Location at = parse(location);
    List<AppliedPack> stack = new ArrayList<>(current(at));
    int place = indexOf(stack, packName);
    if (place < 0) {
      throw new NotFoundException(
          "'" + packName + "' is not applied to " + at + "; show-middleware lists what is");
    }
    stack.remove(place);
    return change(at, stack, "Remove " + packName, who);
  }

  /**
   * Records a revision whose packs are exactly those of revision {@code revision} ({@code PREV}:
   * the one before the newest).
   */
  public synchronized Change revert(String location, String revision, String who)
      throws SQLException {
    Location at = parse(location);
    List<StateStore.MiddlewareRevisionRecord> all = state.middlewareRevisions(at.toString());
    StateStore.MiddlewareRevisionRecord target;
    if (revision.equalsIgnoreCase("PREV")) {
      if (all.size() < 2) {
        throw new NotFoundException(at + " has no revision before the newest");
      }
      target = all.get(1);
    } else {
      int n;
      try {
        n = Integer.parseInt(revision);
      } catch (NumberFormatException e) {
        throw new InvalidParameterException(
            "revision", "a revision is a number or PREV, not '" + revision + "'");
      }
      target =
          all.stream()
              .filter(r -> r.revision() == n)
              .findFirst()
              .orElseThrow(
                  () ->
                      new NotFoundException(
                          at
                              + " has no middleware revision "
                              + n
                              + " (it has "
                              + all.size()
                              + ")"));
    }
    return change(at, read(target.packs()), "Revert to revision " + target.revision(), who);
  }

  /** The packs of {@code location} now, secrets hidden. */
  public synchronized Stack show(String location) throws SQLException {
    Location at = parse(location);
    List<StateStore.MiddlewareRevisionRecord> all = state.middlewareRevisions(at.toString());
    return new Stack(
        at.toString(),
        all.isEmpty() ? 0 : all.get(0).revision(),
        all.isEmpty() ? List.of() : views(read(all.get(0).packs())));
  }

  /** The revisions of {@code location}'s middleware, newest first. */
  public synchronized List<RevisionView> revisions(String location) throws SQLException {
    Location at = parse(location);
    List<RevisionView> out = new ArrayList<>();
    for (StateStore.MiddlewareRevisionRecord r : state.middlewareRevisions(at.toString())) {
      out.add(
          new RevisionView(
              r.revision(),
              r.who(),
              r.at(),
              r.message(),
              read(r.packs()).stream().map(AppliedPack::name).toList()));
    }
    return out;
  }

  /** The names of the packs of every location that has any, for {@code silver query}. */
  public synchronized Map<String, List<String>> names() throws SQLException {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (StateStore.MiddlewareRevisionRecord r : state.newestMiddleware()) {
      List<String> names = read(r.packs()).stream().map(AppliedPack::name).toList();
      if (!names.isEmpty()) {
        out.put(r.location(), names);
      }
    }
    return out;
  }

  /** Every pack the node can apply. */
  public List<PackInfo> available() {
    return packs.all().stream().map(Pack::info).toList();
  }

  /** Installs the third-party pack folder {@code archive} holds (a {@code .tar.gz}). */
  public PackInfo install(java.io.InputStream archive) throws java.io.IOException {
    return packs.install(archive).info();
  }

  private Change change(Location at, List<AppliedPack> stack, String message, String who)
      throws SQLException {
    Map<AppliedPack, Middleware> built = build(at, stack);
    StateStore.MiddlewareRevisionRecord r;
    try {
      r = state.addMiddlewareRevision(at.toString(), write(stack), who, message);
    } catch (SQLException | RuntimeException e) {
      closeUnused(built, running.getOrDefault(at, Map.of()));
      throw e;
    }
    publish(at, built);
    return new Change(at.toString(), r.revision(), message, views(stack));
  }

  /** The middleware of {@code stack}, reusing what already runs for an unchanged pack. */
  private Map<AppliedPack, Middleware> build(Location at, List<AppliedPack> stack) {
    Map<AppliedPack, Middleware> now = running.getOrDefault(at, Map.of());
    Map<AppliedPack, Middleware> built = new LinkedHashMap<>();
    try {
      for (AppliedPack p : stack) {
        Middleware m = now.get(p);
        if (m == null) {
          Pack pack =
              packs
                  .named(p.name(), p.version())
                  .orElseThrow(
                      () ->
                          new NotFoundException(
                              "the pack '" + p.name() + "' " + p.version() + " is not installed"));
          m = pack.build(p.settings());
        }
        built.put(p, m);
      }
    } catch (RuntimeException e) {
      closeUnused(built, now);
      throw e;
    }
    return built;
  }

  private void publish(Location at, Map<AppliedPack, Middleware> built) {
    Map<AppliedPack, Middleware> before = running.getOrDefault(at, Map.of());
    chains.put(at, new MiddlewareChain(new ArrayList<>(built.values())));
    running.put(at, built);
    closeUnused(before, built);
  }

  /** Closes what {@code from} holds that {@code kept} does not. */
  private static void closeUnused(
      Map<AppliedPack, Middleware> from, Map<AppliedPack, Middleware> kept) {
    for (Middleware m : from.values()) {
      if (!kept.containsValue(m)) {
        m.close();
      }
    }
  }

  private List<AppliedPack> current(Location at) throws SQLException {
    List<StateStore.MiddlewareRevisionRecord> all = state.middlewareRevisions(at.toString());
    return all.isEmpty() ? List.of() : read(all.get(0).packs());
  }

  private List<PackView> views(List<AppliedPack> stack) {
    List<PackView> out = new ArrayList<>();
    for (AppliedPack p : stack) {
      List<Setting> known =
          packs.named(p.name(), p.version()).map(Pack::settings).orElse(List.of());
      Map<String, String> shown = new LinkedHashMap<>();
      p.settings()
          .forEach(
              (k, v) -> {
                boolean secret =
                    known.stream()
                        .filter(s -> s.matches(k))
                        .findFirst()
                        .map(Setting::secret)
                        .orElse(true);
                shown.put(k, secret ? Setting.HIDDEN : v);
              });
      out.add(new PackView(p.name(), p.version(), shown));
    }
    return out;
  }

  private static Middleware unavailable() {
    Decision.Answer answer =
        Decision.Answer.text(503, "This site is unavailable: its middleware cannot run.", null);
    return request -> answer;
  }

  private static int indexOf(List<AppliedPack> stack, String name) {
    for (int i = 0; i < stack.size(); i++) {
      if (stack.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static Location parse(String location) {
    if (location == null || location.isBlank()) {
      throw InvalidParameterException.missing("location");
    }
    try {
      return Location.parse(location);
    } catch (IllegalArgumentException e) {
      throw new InvalidParameterException("location", e.getMessage());
    }
  }

  private static List<AppliedPack> read(String json) {
    try {
      return JSON.readValue(json, STACK);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a middleware revision in the state store is damaged", e);
    }
  }

  private static String write(List<AppliedPack> stack) {
    try {
      return JSON.writeValueAsString(stack);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
