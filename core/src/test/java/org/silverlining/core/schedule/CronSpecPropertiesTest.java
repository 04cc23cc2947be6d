package org.silverlining.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * For random 5-field cron specs, {@code next(t)} is the first run after {@code t}, checked against
 * a minute-by-minute oracle that reads the spec from the generator, not from the parser.
 */
class CronSpecPropertiesTest {
  private static final List<String> MONTHS =
      List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
  private static final List<String> WEEKDAYS =
      List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");
  private static final Duration HORIZON = Duration.ofDays(20);

  /** One generated field: its text and the values it stands for. */
  record Field(String text, BitSet values) {
    boolean star() {
      return text.startsWith("*");
    }
  }

  /** A generated spec: the text and an independent notion of which wall times match. */
  record Spec(Field minute, Field hour, Field day, Field month, Field weekday) {
    String text() {
      return String.join(" ", minute.text, hour.text, day.text, month.text, weekday.text);
    }

    boolean matches(LocalDateTime t) {
      boolean d = day.values.get(t.getDayOfMonth());
      boolean w = weekday.values.get(t.getDayOfWeek().getValue() % 7);
      return minute.values.get(t.getMinute())
          && hour.values.get(t.getHour())
          && month.values.get(t.getMonthValue())
          && (day.star() || weekday.star() ? d && w : d || w);
    }

    boolean followsClock() {
      return minute.star() || hour.star();
    }

    /** Whether the schedule should run at the whole minute {@code u} in {@code zone}. */
    boolean runsAt(Instant u, ZoneId zone) {
      LocalDateTime wall = LocalDateTime.ofInstant(u, zone);
      if (followsClock()) {
        return matches(wall);
      }
      if (matches(wall) && ZonedDateTime.ofLocal(wall, zone, null).toInstant().equals(u)) {
        return true;
      }
      // A wall time in a spring-forward gap runs shifted by the gap: read u in the old offset.
      ZoneOffsetTransition tr = zone.getRules().previousTransition(u.plusSeconds(1));
      if (tr != null
          && tr.isGap()
          && !u.isBefore(tr.getInstant())
          && u.isBefore(tr.getInstant().plus(tr.getDuration()))) {
        LocalDateTime shifted = LocalDateTime.ofInstant(u, tr.getOffsetBefore());
        return matches(shifted);
      }
      return false;
    }
  }

  @Property(tries = 300)
  void nextIsTheFirstMatchingMinuteAfterT(
      @ForAll("specs") Spec spec, @ForAll("zones") ZoneId zone, @ForAll("instants") Instant t) {
    Schedule schedule = Schedule.parse(spec.text(), zone);

    ZonedDateTime next = schedule.next(t.atZone(zone));

    assertThat(next.toInstant()).as(spec.text()).isAfter(t);
    assertThat(next.getSecond()).isZero();
    assertThat(spec.runsAt(next.toInstant(), zone)).as("%s matches %s", next, spec.text()).isTrue();
    Instant end = t.plus(HORIZON).isBefore(next.toInstant()) ? t.plus(HORIZON) : next.toInstant();
    for (Instant u = t.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        u.isBefore(end);
        u = u.plus(Duration.ofMinutes(1))) {
      assertThat(spec.runsAt(u, zone))
          .as("%s runs at %s, before %s", spec.text(), u, next)
          .isFalse();
    }
  }

  @Provide
  Arbitrary<ZoneId> zones() {
    return Arbitraries.of("UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe")
        .map(ZoneId::of);
  }

  @Provide
  Arbitrary<Instant> instants() {
    // Half of them within a day of a daylight saving change.
    Arbitrary<Instant> anywhere =
        Arbitraries.longs()
            .between(Instant.parse("2023-01-01T00:00:00Z").getEpochSecond(), 4_102_444_800L)
            .map(Instant::ofEpochSecond);
    Arbitrary<Instant> nearChange =
        Combinators.combine(
                Arbitraries.of(
                    "2024-03-31T01:00:00Z",
                    "2024-10-27T01:00:00Z",
                    "2024-03-10T07:00:00Z",
                    "2024-11-03T06:00:00Z",
                    "2024-04-06T15:00:00Z",
                    "2024-10-05T15:30:00Z"),
                Arbitraries.longs().between(-86_400, 86_400))
            .as((base, offset) -> Instant.parse(base).plusSeconds(offset));
    return Arbitraries.oneOf(anywhere, nearChange);
  }

  @Provide
  Arbitrary<Spec> specs() {
    return Combinators.combine(
            field(0, 59, 59, List.of(), 0),
            field(0, 23, 23, List.of(), 0),
            field(1, 31, 31, List.of(), 0),
            field(1, 12, 12, MONTHS, 1),
            field(0, 7, 6, WEEKDAYS, 0))
        .as(Spec::new)
        .filter(CronSpecPropertiesTest::canRun);
  }

  /**
   * A field of values {@code min..max}; {@code *} stands for {@code min..starMax} (day-of-week
   * {@code *} is 0-6 though 7 is also Sunday).
   */
  private static Arbitrary<Field> field(
      int min, int max, int starMax, List<String> names, int nameBase) {
    Arbitrary<Integer> value = Arbitraries.integers().between(min, max);
    Arbitrary<Integer> step = Arbitraries.integers().between(1, Math.max(1, max / 2));
    Arbitrary<Field> star = Arbitraries.just(new Field("*", range(min, starMax, 1)));
    Arbitrary<Field> starStep = step.map(n -> new Field("*/" + n, range(min, starMax, n)));
    Arbitrary<Field> single =
        value.flatMap(v -> name(v, names, nameBase).map(s -> new Field(s, range(v, v, 1))));
    Arbitrary<Field> ranged =
        Combinators.combine(value, value, step, Arbitraries.of(true, false))
            .flatAs(
                (a, b, n, stepped) -> {
                  int lo = Math.min(a, b);
                  int hi = Math.max(a, b);
                  return Combinators.combine(name(lo, names, nameBase), name(hi, names, nameBase))
                      .as(
                          (l, h) ->
                              new Field(
                                  l + "-" + h + (stepped ? "/" + n : ""),
                                  range(lo, hi, stepped ? n : 1)));
                });
    Arbitrary<Field> item =
        Arbitraries.frequencyOf(
            Tuple.of(3, star), Tuple.of(2, starStep), Tuple.of(2, single), Tuple.of(2, ranged));
    return item.list()
        .ofMinSize(1)
        .ofMaxSize(3)
        .map(
            items -> {
              BitSet all = new BitSet();
              items.forEach(i -> all.or(i.values()));
              if (names == WEEKDAYS && all.get(7)) {
                all.set(0);
              }
              String text = items.stream().map(Field::text).collect(Collectors.joining(","));
              return new Field(text, all);
            });
  }

  /** The parser rejects specs whose only days never occur in their months, e.g. 31 of feb. */
  private static boolean canRun(Spec s) {
    if (!s.day().star() && !s.weekday().star()) {
      return true;
    }
    int[] longest = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int smallest = s.day().values().nextSetBit(1);
    return s.month().values().stream().anyMatch(m -> smallest <= longest[m]);
  }

  private static Arbitrary<String> name(int v, List<String> names, int base) {
    if (names.isEmpty() || v - base >= names.size()) {
      return Arbitraries.just(Integer.toString(v));
    }
    return Arbitraries.of(Integer.toString(v), names.get(v - base));
  }

  private static BitSet range(int from, int to, int step) {
    BitSet set = new BitSet();
    for (int v = from; v <= to; v += step) {
      set.set(v);
    }
    return set;
  }
}
