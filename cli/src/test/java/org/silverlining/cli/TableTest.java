package org.silverlining.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TableTest {
  @Test
  void columnsAreAsWideAsTheirWidestCellAndNumbersAlignRight() {
    Table t = new Table("QUEUE", ">QUEUED", "LAST RESULT").row("default", 7, "ok");
    t.row("a-much-longer-queue", 12345, "HTTP 500 from /work");

    assertThat(printed(t))
        .isEqualTo(
            String.join(
                System.lineSeparator(),
                "QUEUE                QUEUED  LAST RESULT",
                "default                   7  ok",
                "a-much-longer-queue   12345  HTTP 500 from /work",
                ""));
  }

  @Test
  void theLastColumnIsNotPadded() {
    Table t = new Table("A", "B").row("x", "").row("y", "long");

    assertThat(printed(t).lines()).containsExactly("A  B", "x", "y  long");
  }

  @Test
  void aRowOfTheWrongLengthIsRefused() {
    assertThatThrownBy(() -> new Table("A", "B").row("only one"))
        .hasMessage("a row of 1 cells in a table of 2 columns");
  }

  private static String printed(Table t) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    t.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
