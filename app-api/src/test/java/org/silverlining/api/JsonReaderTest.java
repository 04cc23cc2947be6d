package org.silverlining.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonReaderTest {
  @Test
  void aKeyInsideAStringValueIsNotTheField() {
    Map<String, Object> m =
        JsonReader.object("{\"note\": \"\\\"id\\\": 7, \\\"error\\\": \\\"x\\\"\", \"id\": 42}");

    assertThat(m).containsEntry("id", 42L).doesNotContainKey("error");
    assertThat(m.get("note")).isEqualTo("\"id\": 7, \"error\": \"x\"");
  }

  @Test
  void aFieldOfANestedObjectIsNotATopLevelField() {
    Map<String, Object> m = JsonReader.object("{\"inner\": {\"error\": \"deep\"}, \"id\": 1}");

    assertThat(m).doesNotContainKey("error").containsEntry("id", 1L);
    assertThat(m.get("inner")).isEqualTo(Map.of("error", "deep"));
  }

  @Test
  void everyEscapeIsDecoded() {
    assertThat(JsonReader.read("\"a\\\"b\\\\c\\/d\\n\\t\\r\\b\\f\\u00e9\\ud83d\\ude00\""))
        .isEqualTo("a\"b\\c/d\n\t\r\b\f\u00e9\ud83d\ude00");
  }

  @Test
  void numbersAreLongsWhenWholeAndDoublesOtherwise() {
    assertThat(JsonReader.read("[0, -12, 9007199254740993, 1.5, 1e3, -0.25E-1]"))
        .isEqualTo(List.of(0L, -12L, 9007199254740993L, 1.5, 1000.0, -0.025));
    assertThat(JsonReader.read("99999999999999999999")).isEqualTo(1e20);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{",
        "{\"a\" 1}",
        "{\"a\": 1,}",
        "[1, 2,]",
        "{'a': 1}",
        "{a: 1}",
        "\"unterminated",
        "\"bad escape \\x\"",
        "\"short \\u12\"",
        "\"not hex \\u12g4\"",
        "\"a raw\nline break\"",
        "01",
        "+1",
        "1.",
        ".5",
        "1e",
        "- 1",
        "tru",
        "nul",
        "{} {}",
        "{\"a\": 1, \"a\": 2}",
        "\u00a0{}",
      })
  void malformedTextIsRefusedWithItsPlace(String text) {
    assertThatThrownBy(() -> JsonReader.read(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not valid JSON at line ");
  }

  @Test
  void deepNestingIsRefusedRatherThanOverflowingTheStack() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);

    assertThatThrownBy(() -> JsonReader.read(deep))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nested deeper than " + JsonReader.MAX_DEPTH);
    String ok = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
    assertThat(JsonReader.read(ok)).isInstanceOf(List.class);
  }

  @Test
  void anErrorNamesItsLineAndColumn() {
    assertThatThrownBy(() -> JsonReader.read("{\n  \"a\": 1,\n  \"b\": x\n}"))
        .hasMessage("not valid JSON at line 3, column 8: unexpected character");
  }

  @Test
  void anErrorNeverQuotesTheText() {
    assertThatThrownBy(() -> JsonReader.read("{\"key\": \"c2VjcmV0\" x}"))
        .hasMessageNotContaining("c2VjcmV0");
  }

  @Property
  void whatTheWriterWritesTheReaderReadsBack(
      @ForAll String key, @ForAll String value, @ForAll long number, @ForAll boolean flag) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(key, value);
    m.put(key + "#n", number);
    m.put(key + "#b", flag);
    m.put(key + "#null", null);
    m.put(key + "#inner", Map.of(value, key));

    assertThat(JsonReader.read(Json.write(m))).isEqualTo(m);
  }

  @Test
  void theEnqueueAnswerIsReadByItsFieldsNotByTheirText() throws IOException {
    Tasks.Enqueued e =
        Tasks.enqueued(
            "{\"name\":\"say \\\"id\\\":9\",\"id\":12,\"queue\":\"default\","
                + "\"eta\":\"2026-12-07T15:00:00.000Z\"}");

    assertThat(e)
        .isEqualTo(new Tasks.Enqueued(12, "say \"id\":9", "default", "2026-12-07T15:00:00.000Z"));
    assertThatThrownBy(() -> Tasks.enqueued("{\"id\":\"12\"}"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("without an id");
    assertThatThrownBy(() -> Tasks.enqueued("<html>"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not valid JSON");
  }
}
