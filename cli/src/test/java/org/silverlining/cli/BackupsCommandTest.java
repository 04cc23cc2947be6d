package org.silverlining.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Sizes and durations read as {@code %.1f} would write them. */
class BackupsCommandTest {
  @Test
  void oneDecimalWritesWhatTheFormatterWrites() {
    for (double v : new double[] {0, 0.04, 0.05, 0.25, 0.95, 1.3, 9.99, 117.94, 1023.96, 12345.6}) {
      assertThat(BackupsCommand.oneDecimal(v)).isEqualTo(String.format(Locale.ROOT, "%.1f", v));
    }
    assertThat(BackupsCommand.oneDecimal(-2.26)).isEqualTo("-2.3");
  }

  @Test
  void sizesAreInBinaryUnits() {
    assertThat(BackupsCommand.size(512)).isEqualTo("512 B");
    assertThat(BackupsCommand.size(123_667_819)).isEqualTo("117.9 MiB");
    assertThat(BackupsCommand.size(3L << 40)).isEqualTo("3.0 TiB");
  }
}
