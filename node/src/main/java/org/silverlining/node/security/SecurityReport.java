package org.silverlining.node.security;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code silver security} shows: the events since a time grouped by client and kind (most
 * events first), and the latest events themselves.
 *
 * @param since the start of the span, ISO-8601
 * @param total how many events the span holds
 * @param groups one a client and kind
 * @param events the latest {@link #MAX_EVENTS} events, in the order recorded
 */
public record SecurityReport(
    String since, int total, List<Group> groups, List<SecurityEvent> events) {
  static final int MAX_EVENTS = 1000;

  /**
   * The events of one client and kind.
   *
   * @param allowed true when the client is in {@code [security] allow}
   * @param targets up to {@link #MAX_TARGETS} distinct targets, in the order first seen
   */
  public record Group(
      String client,
      String kind,
      int count,
      boolean allowed,
      String first,
      String last,
      List<String> targets) {}

  static final int MAX_TARGETS = 5;

  /** The report of {@code events} (oldest first), which happened since {@code since}. */
  static SecurityReport of(Instant since, List<SecurityEvent> events) {
    Map<String, List<SecurityEvent>> byKey = new LinkedHashMap<>();
    for (SecurityEvent e : events) {
      byKey.computeIfAbsent(e.client() + " " + e.kind(), k -> new ArrayList<>()).add(e);
    }
    List<Group> groups = new ArrayList<>();
    for (List<SecurityEvent> g : byKey.values()) {
      SecurityEvent first = g.get(0);
      Instant earliest = Instant.parse(first.time());
      Instant latest = earliest;
      for (SecurityEvent e : g) {
        Instant t = Instant.parse(e.time());
        earliest = t.isBefore(earliest) ? t : earliest;
        latest = t.isAfter(latest) ? t : latest;
      }
      List<String> targets = new ArrayList<>();
      for (SecurityEvent e : g) {
        if (targets.size() < MAX_TARGETS
            && !e.target().equals("-")
            && !targets.contains(e.target())) {
          targets.add(e.target());
        }
      }
      groups.add(
          new Group(
              first.client(),
              first.kind().text(),
              g.size(),
              first.allowed(),
              earliest.toString(),
              latest.toString(),
              targets));
    }
    groups.sort((a, b) -> Integer.compare(b.count(), a.count()));
    List<SecurityEvent> latest =
        events.size() > MAX_EVENTS
            ? events.subList(events.size() - MAX_EVENTS, events.size())
            : events;
    return new SecurityReport(since.toString(), events.size(), groups, List.copyOf(latest));
  }
}
