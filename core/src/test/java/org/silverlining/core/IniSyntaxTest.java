package org.silverlining.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The reader's syntaxes against a golden file, and what the node writes read back whole. */
class IniSyntaxTest {
  private static String resource(String name) throws IOException {
    try (InputStream in = IniSyntaxTest.class.getResourceAsStream("/ini/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Each entry as "section key line lastLine value", continuation lines joined by '|'. */
  private static List<String> dump(String text, IniFile.Syntax syntax) {
    IniFile ini = IniFile.parse("golden.ini", text, syntax);
    List<String> out = new ArrayList<>();
    for (String section : ini.sectionNames()) {
      for (IniFile.Entry e : ini.entries(section)) {
        out.add(
            section
                + " "
                + e.key()
                + " "
                + e.line()
                + " "
                + e.lastLine()
                + " "
                + e.value().replace("\n", "|"));
      }
    }
    return out;
  }

  @Test
  void eachSyntaxReadsTheGoldenFileAsRecorded() throws IOException {
    String text = resource("golden.ini");
    List<String> expected = List.of(resource("golden.expected").split("\n", -1));

    List<String> actual = new ArrayList<>();
    for (String name : List.of("CONFIG_PARSER", "KEYS_AS_WRITTEN", "VERBATIM")) {
      actual.add(name);
      IniFile.Syntax syntax =
          switch (name) {
            case "CONFIG_PARSER" -> IniFile.Syntax.CONFIG_PARSER;
            case "KEYS_AS_WRITTEN" -> IniFile.Syntax.KEYS_AS_WRITTEN;
            default -> IniFile.Syntax.VERBATIM;
          };
      actual.addAll(dump(text, syntax));
    }
    actual.add("");

    assertThat(actual).containsExactlyElementsOf(expected);
  }

  @Test
  void aKeyGivenTwiceIsListedTwiceButReadAsItsLastValue() {
    IniFile ini = IniFile.parse("t.ini", "[cron]\n/a = every day\n/a = every hour\n");

    assertThat(ini.entries("cron")).extracting(IniFile.Entry::line).containsExactly(2, 3);
    assertThat(ini.get("cron", "/a")).contains("every hour");
  }

  @Test
  void anIndentedLineAfterASectionHeaderIsNotAContinuation() {
    IniFile ini = IniFile.parse("t.ini", "[s]\na = 1\n[s]\n  b = 2\n");

    assertThat(ini.get("s", "a")).contains("1");
    assertThat(ini.get("s", "b")).contains("2");
  }

  @Provide
  Arbitrary<Map<String, Map<String, String>>> sections() {
    Arbitrary<String> names =
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
    Arbitrary<String> keys =
        Arbitraries.strings()
            .withCharRange('A', 'Z')
            .withCharRange('a', 'z')
            .withChars('_', '.', '-')
            .withCharRange('0', '9')
            .ofMinLength(1)
            .ofMaxLength(12)
            .filter(k -> Character.isLetter(k.charAt(0)));
    // One line of any printable text: what `silver global-config set` accepts, stripped.
    Arbitrary<String> values =
        Arbitraries.strings()
            .withCharRange(' ', '~')
            .withChars('é', '✓')
            .ofMaxLength(30)
            .map(String::strip);
    return Arbitraries.maps(names, Arbitraries.maps(keys, values).ofMaxSize(5)).ofMaxSize(4);
  }

  @Property
  void whatTheNodeRendersTheVerbatimSyntaxReadsBackWhole(
      @ForAll("sections") Map<String, Map<String, String>> written) {
    IniFile back = IniFile.parse("r.ini", IniFile.render(written), IniFile.Syntax.VERBATIM);

    Map<String, Map<String, String>> read = new LinkedHashMap<>();
    for (String s : back.sectionNames()) {
      Map<String, String> values = new LinkedHashMap<>();
      back.section(s).forEach((k, e) -> values.put(k, e.value()));
      read.put(s, values);
    }
    assertThat(read).isEqualTo(written);
  }
}
