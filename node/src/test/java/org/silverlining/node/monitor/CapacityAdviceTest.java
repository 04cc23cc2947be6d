package org.silverlining.node.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapacityAdviceTest {
  private static final long GIB = 1L << 30;

  private static List<Point.Machine> hours(
      int n, double busy, long available, long swap, double pressure) {
    List<Point.Machine> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Point.Machine(1, available, 4 * GIB, swap, 10 * GIB, 20 * GIB, busy, pressure));
    }
    return out;
  }

  @Test
  void cpuBusyAboveEightyPercentForMoreThanATenthOfTheTimeAsksForABiggerNode() {
    List<Point.Machine> points = hours(100, 0.3, 2 * GIB, 0, 0);
    for (int i = 0; i < 11; i++) {
      points.set(i, new Point.Machine(3, 2 * GIB, 4 * GIB, 0, 1, 2, 0.95, 0));
    }

    CapacityAdvice a = CapacityAdvice.of(points, 3600);

    assertThat(a.verdict()).isEqualTo("bigger");
    assertThat(a.line()).startsWith("bigger: CPU was busy above 80 % for 11 % of the 4 days");
  }

  @Test
  void swapInUseAsksForABiggerNode() {
    CapacityAdvice a = CapacityAdvice.of(hours(48, 0.3, GIB, 512L << 20, 0), 3600);

    assertThat(a.verdict()).isEqualTo("bigger");
    assertThat(a.line()).contains("swap was in use (up to 512 MiB)");
  }

  @Test
  void memoryPressureAsksForABiggerNode() {
    CapacityAdvice a = CapacityAdvice.of(hours(5, 0.3, GIB, 0, 0.25), 3600);

    assertThat(a.verdict()).isEqualTo("bigger");
    assertThat(a.line()).contains("waited for memory 25 %");
  }

  @Test
  void aDayOfIdleCpuAndFreeMemoryAsksForASmallerNode() {
    CapacityAdvice a = CapacityAdvice.of(hours(30, 0.05, 3 * GIB, 0, 0), 3600);

    assertThat(a.verdict()).isEqualTo("smaller");
    assertThat(a.line()).contains("75 % of memory was always free");
  }

  @Test
  void anIdleHourIsNotEnoughToAdviseASmallerNode() {
    CapacityAdvice a = CapacityAdvice.of(hours(1, 0.05, 3 * GIB, 0, 0), 3600);

    assertThat(a.verdict()).isEqualTo("right-sized");
    assertThat(a.line()).contains("the 60 minutes measured");
  }
}
