package org.silverlining.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** What the meter shows: the wait for the node, then the bytes; and that it counts them. */
class TransferMeterTest {
  private final PrintStream out = new PrintStream(new ByteArrayOutputStream());

  @Test
  void theWaitForTheFirstByteShowsItsSecondsThenTheBytesShow() {
    try (TransferMeter m = TransferMeter.start("the node is writing the backup", "received", out)) {
      assertThat(m.line(0, 12_345)).isEqualTo("the node is writing the backup (12 s)");
      assertThat(m.line(1536, 14_000)).isEqualTo("received 1.5 KiB");
    }
  }

  @Test
  void withoutAVerbOnlyTheWaitShowsAndWithoutAWaitTheCountShowsAtOnce() {
    try (TransferMeter m = TransferMeter.start("the node is writing the backup", null, out)) {
      assertThat(m.line(4096, 3_000)).isEqualTo("the node is writing the backup (3 s)");
    }
    try (TransferMeter m = TransferMeter.start("sent", out)) {
      assertThat(m.line(0, 5_000)).isEqualTo("sent 0 B");
    }
  }
}
