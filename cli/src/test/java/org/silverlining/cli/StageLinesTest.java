package org.silverlining.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The node's progress lines as the CLI prints them (off a terminal: no running stage line). */
class StageLinesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aStageShowsWhenItEndsAWarningAtOnceAndTheResultIsKept() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    JsonNode[] last = new JsonNode[1];
    try (AppUploader.StageLines lines = AppUploader.progress(out, last)) {
      lines.accept(json("{\"stage\": \"load\", \"status\": \"started\"}"));
      lines.accept(json("{\"note\": \"the disk is nearly full\"}"));
      lines.accept(
          json(
              "{\"stage\": \"load\", \"status\": \"done\", \"detail\": \"postgresql\", \"ms\": 1234}"));
      lines.accept(json("{\"result\": \"ok\", \"checkpoint\": \"20261126-120000\"}"));
    }
    assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            "Warning: the disk is nearly full",
            String.format("  %-13s %-50s %6d ms", "load", "postgresql", 1234));
    assertThat(last[0].path("checkpoint").asText()).isEqualTo("20261126-120000");
  }

  @Test
  void aRunningStageShowsWhereItsLineWillWithTheSecondsSoFar() {
    String running = AppUploader.running("load", 12_345);
    String done = String.format("%-13s %-50s %6d ms", "load", "postgresql", 1234);
    assertThat(running).startsWith("load          …").endsWith("    12 s");
    assertThat(running.length()).isEqualTo(done.length() - 1);
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }
}
