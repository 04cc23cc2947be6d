package org.silverlining.node.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcFilesTest {
  @Test
  void meminfoGivesAvailableMemoryAndSwapInUse() {
    ProcFiles.Memory m =
        ProcFiles.parseMeminfo(
            "MemTotal:       24683772 kB\nMemFree:        22030648 kB\n"
                + "MemAvailable:   22703276 kB\nSwapTotal:       1048576 kB\n"
                + "SwapFree:         524288 kB\n");

    assertThat(m.total()).isEqualTo(24683772L * 1024);
    assertThat(m.available()).isEqualTo(22703276L * 1024);
    assertThat(m.swapUsed()).isEqualTo(524288L * 1024);
  }

  @Test
  void statGivesTheBusyShareBetweenTwoReadings() {
    ProcFiles.CpuTicks a = ProcFiles.parseStat("cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 1 2 3\n");
    ProcFiles.CpuTicks b = ProcFiles.parseStat("cpu  400 0 200 1100 100 0 0 0 0 0\n");

    assertThat(b.busySince(a)).isEqualTo(0.5);
  }

  @Test
  void aProcessNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
    String stat = "4242 (my (odd) app) S 1 4242 4242 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 1 0";

    assertThat(ProcFiles.parsePidCpuSeconds(stat)).isEqualTo(3.0);
  }

  @Test
  void pressureGivesTheShareOfTheLastMinute() {
    assertThat(
            ProcFiles.parsePressure(
                    "some avg10=1.00 avg60=12.50 avg300=0.00 total=1\n"
                        + "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n")
                .getAsDouble())
        .isEqualTo(0.125);
    assertThat(ProcFiles.parseLoad1("8.80 3.31 1.24 5/294 29474\n")).isEqualTo(8.8);
  }

  @Test
  void theMachineOfTheTestsHasAProcToRead() {
    ProcFiles proc = ProcFiles.system();

    assertThat(proc.memory()).isPresent();
    assertThat(proc.residentBytes(ProcessHandle.current().pid()).getAsLong()).isPositive();
    assertThat(proc.cpuSeconds(ProcessHandle.current().pid()).getAsDouble()).isPositive();
  }
}
