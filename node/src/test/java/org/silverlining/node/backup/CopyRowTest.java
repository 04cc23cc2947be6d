package org.silverlining.node.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link RowFile.Writer#copyRow} writes the very bytes that parsing the COPY row into strings and
 * writing them with Jackson gives, for every kind of character PostgreSQL's COPY text can carry.
 */
class CopyRowTest {
  private static final String ALPHABET =
      "a\t\n\r\b\f\u000b\u0000\u0001\u001f\u007f\"\\/ N,[]{}é✓𝄞\u2028";

  @Test
  void aCopyRowGivesTheSameLineAsTheStringsWrittenByJackson() throws IOException {
    Random random = new Random(42);
    for (int n = 0; n < 20_000; n++) {
      List<String> values = new ArrayList<>();
      int columns = 1 + random.nextInt(5);
      for (int c = 0; c < columns; c++) {
        values.add(random.nextInt(6) == 0 ? null : randomString(random));
      }
      byte[] row = copyText(values);

      assertThat(viaCopyRow(row)).as("%s", values).isEqualTo(viaStrings(row));
    }
  }

  @Test
  void nullsEmptyStringsAndTheLiteralBackslashNAreTold() throws IOException {
    byte[] row = copyText(java.util.Arrays.asList(null, "", "\\N", "x"));
    assertThat(new String(viaCopyRow(row), StandardCharsets.UTF_8))
        .endsWith("[null,\"\",\"\\\\N\",\"x\"]\n");
  }

  private static String randomString(Random random) {
    StringBuilder b = new StringBuilder();
    int length = random.nextInt(8);
    int[] cps = ALPHABET.codePoints().toArray();
    for (int i = 0; i < length; i++) {
      b.appendCodePoint(cps[random.nextInt(cps.length)]);
    }
    return b.toString();
  }

  /** A row as PostgreSQL's COPY TO writes it in text format. */
  private static byte[] copyText(List<String> values) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        b.append('\t');
      }
      String v = values.get(i);
      if (v == null) {
        b.append("\\N");
        continue;
      }
      for (char ch : v.toCharArray()) {
        switch (ch) {
          case '\\' -> b.append("\\\\");
          case '\t' -> b.append("\\t");
          case '\n' -> b.append("\\n");
          case '\r' -> b.append("\\r");
          case '\b' -> b.append("\\b");
          case '\f' -> b.append("\\f");
          case '\u000b' -> b.append("\\v");
          default -> b.append(ch);
        }
      }
    }
    return (b + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] viaStrings(byte[] row) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (RowFile.Writer w = new RowFile.Writer(out, List.of("c"))) {
      w.startRow();
      for (String v : CopyText.parse(row)) {
        w.value(v);
      }
      w.endRow();
    }
    return out.toByteArray();
  }

  private static byte[] viaCopyRow(byte[] row) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (RowFile.Writer w = new RowFile.Writer(out, List.of("c"))) {
      w.copyRow(row);
    }
    return out.toByteArray();
  }
}
