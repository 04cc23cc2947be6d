package org.silverlining.node.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.core.Hashing;

class TokensTest {
  @TempDir Path dir;

  private Tokens tokens() {
    return new Tokens(dir.resolve("secrets/tokens"));
  }

  @Test
  void aCreatedTokenVerifiesAsItsHolder() throws IOException {
    String token = tokens().create("ann@laptop");

    assertThat(token).startsWith("silver_").hasSizeGreaterThan(40);
    assertThat(tokens().verify(token)).contains("ann@laptop");
  }

  @Test
  void eachTokenIsDifferentAndNamesItsOwnHolder() throws IOException {
    Tokens t = tokens();
    String ann = t.create("ann");
    String bob = t.create("bob");

    assertThat(ann).isNotEqualTo(bob);
    assertThat(t.verify(ann)).contains("ann");
    assertThat(t.verify(bob)).contains("bob");
  }

  @Test
  void aWrongMissingOrAlteredTokenIsRefused() throws IOException {
    Tokens t = tokens();
    String token = t.create("ann");

    assertThat(t.verify("silver_wrong")).isEmpty();
    assertThat(t.verify(token + "x")).isEmpty();
    assertThat(t.verify(token.substring(0, token.length() - 1))).isEmpty();
    assertThat(t.verify("")).isEmpty();
    assertThat(t.verify(null)).isEmpty();
  }

  @Test
  void withoutATokensFileNothingVerifies() throws IOException {
    assertThat(tokens().verify("silver_anything")).isEmpty();
  }

  @Test
  void theFileIsReadableByItsOwnerAloneAndHoldsOnlyHashes() throws IOException {
    String token = tokens().create("ann");
    Path file = dir.resolve("secrets/tokens");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    String content = Files.readString(file);
    assertThat(content).doesNotContain(token).doesNotContain(token.substring(7));
    assertThat(content).isEqualTo("ann " + Hashing.sha256(token) + "\n");
  }

  @Test
  void malformedLinesInTheFileAreIgnored() throws IOException {
    Tokens t = tokens();
    String token = t.create("ann");
    Path file = dir.resolve("secrets/tokens");
    Files.writeString(file, "\n# a comment\nbroken\n" + Files.readString(file));

    assertThat(t.verify(token)).contains("ann");
  }

  @Test
  void aTokenNameIsLettersDigitsAndAFewMarks() {
    assertThatThrownBy(() -> tokens().create("ann smith"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tokens().create("ann\nbob abc"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
