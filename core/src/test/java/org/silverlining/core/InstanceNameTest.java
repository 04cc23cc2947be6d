package org.silverlining.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InstanceNameTest {
  private static final LocalDate DAY = LocalDate.of(2026, 11, 26);

  @Test
  void parsesAppDayAndSequence() {
    assertThat(InstanceName.parse("hello.20261126_001"))
        .isEqualTo(new InstanceName("hello", "20261126", 1));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "hello.20261126_001",
        "guest-book2.20260101_042",
        "a.19991231_999",
        "a.20261126_1000"
      })
  void printsBackWhatItParsed(String text) {
    assertThat(InstanceName.parse(text)).hasToString(text);
    assertThat(InstanceName.isInstanceName(text)).isTrue();
  }

  @Test
  void padsTheSequenceToThreeDigits() {
    assertThat(new InstanceName("hello", "20261126", 7)).hasToString("hello.20261126_007");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "hello",
        "hello.20261126",
        "hello.20261126_01",
        "hello.2026112_001",
        "Hello.20261126_001",
        "hello_20261126_001",
        "hello.20261126-001",
        "hello.20261126_001 ",
        "../x.20261126_001",
        "hello.20261126_abc"
      })
  void rejectsTextThatIsNotAnInstanceName(String text) {
    assertThat(InstanceName.isInstanceName(text)).isFalse();
    assertThatThrownBy(() -> InstanceName.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'")
        .hasMessageContaining("hello.20261126_001");
  }

  @Test
  void theFirstNameOfADayIsNumberOne() {
    assertThat(InstanceName.first("hello", DAY)).hasToString("hello.20261126_001");
  }

  @Test
  void nextOnTheSameDayCountsUp() {
    InstanceName latest = InstanceName.parse("hello.20261126_004");

    assertThat(InstanceName.next("hello", DAY, latest)).hasToString("hello.20261126_005");
  }

  @Test
  void nextOnANewDayStartsAgainAtOne() {
    InstanceName latest = InstanceName.parse("hello.20261125_017");

    assertThat(InstanceName.next("hello", DAY, latest)).hasToString("hello.20261126_001");
  }

  @Test
  void nextWithoutAnyEarlierNameIsTheFirst() {
    assertThat(InstanceName.next("hello", DAY, null)).isEqualTo(InstanceName.first("hello", DAY));
  }

  @Test
  void nextGoesPastNineHundredNinetyNine() {
    InstanceName latest = InstanceName.parse("hello.20261126_999");

    InstanceName next = InstanceName.next("hello", DAY, latest);

    assertThat(next).hasToString("hello.20261126_1000");
    assertThat(InstanceName.parse(next.toString())).isEqualTo(next);
    assertThat(next).isGreaterThan(latest);
  }

  @Test
  void namesOrderByDayThenSequence() {
    List<InstanceName> names =
        new ArrayList<>(
            List.of(
                InstanceName.parse("hello.20261126_010"),
                InstanceName.parse("hello.20261127_001"),
                InstanceName.parse("hello.20261126_002"),
                InstanceName.parse("hello.20251231_999")));

    names.sort(null);

    assertThat(names)
        .extracting(InstanceName::toString)
        .containsExactly(
            "hello.20251231_999", "hello.20261126_002", "hello.20261126_010", "hello.20261127_001");
  }

  @Test
  void theSequenceOrdersAsANumberNotAsText() {
    assertThat(InstanceName.parse("a.20261126_1000"))
        .isGreaterThan(InstanceName.parse("a.20261126_999"));
  }

  @Test
  void orderingAgreesWithEqualsAcrossApps() {
    InstanceName hello = InstanceName.parse("hello.20261126_001");
    InstanceName world = InstanceName.parse("world.20261126_001");

    assertThat(hello.compareTo(world)).isNotZero();
    assertThat(new TreeSet<>(List.of(hello, world))).hasSize(2);
    assertThat(hello.compareTo(InstanceName.parse("hello.20261126_001"))).isZero();
  }

  @Property
  void nextIsAlwaysLaterThanTheLatestOfTheSameOrAnEarlierDay(
      @ForAll @IntRange(min = 1, max = 5000) int sequence,
      @ForAll @IntRange(min = 0, max = 400) int daysEarlier) {
    InstanceName latest =
        new InstanceName(
            "hello", DAY.minusDays(daysEarlier).format(DateTimeFormatter.BASIC_ISO_DATE), sequence);

    assertThat(InstanceName.next("hello", DAY, latest)).isGreaterThan(latest);
  }

  @Property
  void everyNameRoundTripsThroughItsText(
      @ForAll
          @StringLength(min = 1, max = 12)
          @CharRange(from = 'a', to = 'z')
          @Chars({'-', '0', '9'})
          String tail,
      @ForAll @IntRange(min = 0, max = 3650) int day,
      @ForAll @IntRange(min = 1, max = 100_000) int sequence) {
    InstanceName name =
        InstanceName.next(
            "a" + tail,
            LocalDate.of(2020, 1, 1).plusDays(day),
            new InstanceName("a" + tail, "20200101", sequence - 1));

    assertThat(InstanceName.parse(name.toString())).isEqualTo(name);
  }
}
