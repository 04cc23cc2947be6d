package org.silverlining.core.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneRules;
import java.util.List;

/**
 * A schedule defined by the wall-clock minutes it matches; this class turns those into instants,
 * applying the daylight-saving rules described on {@link Schedule}.
 */
abstract class WallClockSchedule implements Schedule {
  /**
   * How far a zone's offset moves at one transition, at most. Candidates are searched this far
   * either side so that a run whose wall time maps out of order (around a transition) is not
   * missed.
   */
  private static final Duration MAX_SHIFT = Duration.ofHours(3);

  /** How far ahead a match is looked for; a leap day can be eight years away. */
  static final int HORIZON_DAYS = 366 * 9;

  private final String text;
  private final ZoneId zone;

  WallClockSchedule(String text, ZoneId zone) {
    this.text = text;
    this.zone = zone;
  }

  /** The first matching wall-clock minute at or after {@code from}, or null within the horizon. */
  abstract LocalDateTime firstMatchFrom(LocalDateTime from);

  /**
   * True when runs follow the clock (every matching instant: both passes of a repeated hour, none
   * in a gap); false when each matching wall time runs exactly once.
   */
  abstract boolean followsClock();

  @Override
  public final ZonedDateTime next(ZonedDateTime after) {
    Instant afterInstant = after.toInstant();
    boolean fixed = zone.getRules().isFixedOffset();
    LocalDateTime local = LocalDateTime.ofInstant(afterInstant, zone);
    LocalDateTime from = (fixed ? local : local.minus(MAX_SHIFT)).truncatedTo(ChronoUnit.MINUTES);
    ZonedDateTime best = null;
    LocalDateTime stop = null;
    for (LocalDateTime w = firstMatchFrom(from);
        w != null && (stop == null || !w.isAfter(stop));
        w = firstMatchFrom(w.plusMinutes(1))) {
      for (ZonedDateTime run : runsAt(w)) {
        if (run.toInstant().isAfter(afterInstant) && (best == null || run.isBefore(best))) {
          best = run;
          stop = fixed ? w : run.toLocalDateTime().plus(MAX_SHIFT);
        }
      }
    }
    if (best == null) {
      throw new IllegalStateException("schedule '" + text + "' has no run after " + after);
    }
    return best;
  }

  private List<ZonedDateTime> runsAt(LocalDateTime wall) {
    ZoneRules rules = zone.getRules();
    List<ZoneOffset> offsets = rules.getValidOffsets(wall);
    if (offsets.size() == 1 || !followsClock()) {
      // ofLocal shifts a wall time in a gap forward by the gap and picks the earlier offset of an
      // overlap: exactly the run-once rule.
      return List.of(ZonedDateTime.ofLocal(wall, zone, null));
    }
    if (offsets.isEmpty()) {
      return List.of();
    }
    return List.of(
        ZonedDateTime.ofStrict(wall, offsets.get(0), zone),
        ZonedDateTime.ofStrict(wall, offsets.get(1), zone));
  }

  @Override
  public final String text() {
    return text;
  }

  @Override
  public final ZoneId zone() {
    return zone;
  }

  @Override
  public String toString() {
    return text;
  }
}
