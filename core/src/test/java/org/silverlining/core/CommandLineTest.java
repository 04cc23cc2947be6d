package org.silverlining.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineTest {
  private static final Map<String, String> ENV = Map.of("PORT", "8123", "NAME", "two words");

  private static List<String> split(String line) {
    return CommandLine.split(line, ENV);
  }

  @Nested
  class Splitting {
    @Test
    void whitespaceSeparatesArgumentsAndRunsOfItCountOnce() {
      assertThat(split("  python3   app.py\t--debug \n"))
          .containsExactly("python3", "app.py", "--debug");
    }

    @Test
    void anEmptyOrBlankLineHasNoArguments() {
      assertThat(split("")).isEmpty();
      assertThat(split("   ")).isEmpty();
    }

    @Test
    void singleQuotesKeepSpacesQuotesAndDollarsAsTheyAre() {
      assertThat(split("echo 'a  b' '$PORT' 'say \"hi\"' 'back\\slash'"))
          .containsExactly("echo", "a  b", "$PORT", "say \"hi\"", "back\\slash");
    }

    @Test
    void doubleQuotesKeepSpacesButExpandVariables() {
      assertThat(split("run \"port $PORT\" \"${NAME}!\""))
          .containsExactly("run", "port 8123", "two words!");
    }

    @Test
    void quotedPartsJoinTheWordsAroundThem() {
      assertThat(split("--opt='a b'\"c d\"e")).containsExactly("--opt=a bc de");
    }

    @Test
    void emptyQuotesAreAnEmptyArgument() {
      assertThat(split("cmd '' \"\"")).containsExactly("cmd", "", "");
    }

    @Test
    void aBackslashEscapesTheNextCharacter() {
      assertThat(split("a\\ b \\'q\\' \\\"d\\\" \\$PORT \\\\"))
          .containsExactly("a b", "'q'", "\"d\"", "$PORT", "\\");
    }

    @Test
    void aBackslashInsideDoubleQuotesEscapesAQuoteOrADollar() {
      assertThat(split("\"say \\\"$PORT\\\" for \\$5\"")).containsExactly("say \"8123\" for $5");
    }

    @Test
    void aTrailingBackslashIsKept() {
      assertThat(split("end\\")).containsExactly("end\\");
    }

    @Test
    void shellOperatorsAreOrdinaryCharacters() {
      assertThat(split("a | b; c && d > out *.txt"))
          .containsExactly("a", "|", "b;", "c", "&&", "d", ">", "out", "*.txt");
    }
  }

  @Nested
  class Variables {
    @Test
    void dollarNameAndDollarBraceNameExpand() {
      assertThat(split("python3 -m http.server $PORT --bind 127.0.0.1:${PORT}"))
          .containsExactly("python3", "-m", "http.server", "8123", "--bind", "127.0.0.1:8123");
    }

    @Test
    void aNameEndsAtTheFirstCharacterThatIsNotALetterDigitOrUnderscore() {
      assertThat(split("$PORT/x $PORT-1 $PORT.2")).containsExactly("8123/x", "8123-1", "8123.2");
    }

    @Test
    void bracesSeparateANameFromLettersAfterIt() {
      assertThat(split("${PORT}abc x$PORTabc")).containsExactly("8123abc", "x");
    }

    @Test
    void aValueWithSpacesStaysOneArgument() {
      assertThat(split("greet $NAME")).containsExactly("greet", "two words");
    }

    @Test
    void anUnknownVariableExpandsToNothingInsideAWord() {
      assertThat(split("a${NOPE}b x$NOPE \"$NOPE\"")).containsExactly("ab", "x", "");
    }

    @Test
    void anUnknownVariableStandingAloneLeavesNoArgument() {
      assertThat(split("python3 app.py $NOPE ${NOPE} --x"))
          .containsExactly("python3", "app.py", "--x");
    }

    @Test
    void aDollarNotFollowedByANameIsKept() {
      assertThat(split("cost $ 5$ $-x")).containsExactly("cost", "$", "5$", "$-x");
    }

    @Test
    void variablesComeOnlyFromTheGivenEnvironment() {
      assertThat(CommandLine.split("$PATH$HOME", Map.of())).isEmpty();
    }
  }

  @Nested
  class Errors {
    @ParameterizedTest
    @ValueSource(strings = {"echo 'open", "echo \"open", "a 'b' \"c", "'"})
    void anUnclosedQuoteIsRefusedNamingTheLine(String line) {
      assertThatThrownBy(() -> split(line))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unclosed")
          .hasMessageContaining(line);
    }

    @Test
    void anUnclosedBraceIsRefused() {
      assertThatThrownBy(() -> split("run ${PORT"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unclosed ${");
    }
  }
}
