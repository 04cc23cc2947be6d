package org.silverlining.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashingTest {
  private static final String EMPTY =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final String ABC =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @Test
  void hashesStringsAsUtf8() {
    assertThat(Hashing.sha256("")).isEqualTo(EMPTY);
    assertThat(Hashing.sha256("abc")).isEqualTo(ABC);
  }

  @Test
  void hashesAFileLikeItsContent(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "abc");

    assertThat(Hashing.sha256(file)).isEqualTo(ABC);
  }

  @Test
  void hashesAFileLargerThanItsBuffer(@TempDir Path dir) throws IOException {
    byte[] big = new byte[200_000];
    Arrays.fill(big, (byte) 'x');
    Path file = Files.write(dir.resolve("big"), big);

    assertThat(Hashing.sha256(file))
        .isEqualTo(Hashing.sha256(new String(big, StandardCharsets.UTF_8)));
  }

  @Test
  void aTeeHashesWhatPassesAndWritesItThrough() throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    Hashing.Digest digest = Hashing.sha256();

    try (OutputStream tee = digest.tee(sink)) {
      tee.write('a');
      tee.write("xbcx".getBytes(StandardCharsets.UTF_8), 1, 2);
    }

    assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("abc");
    assertThat(digest.hex()).isEqualTo(ABC);
  }

  @Test
  void closingATeeLeavesTheWrappedStreamOpen() throws IOException {
    boolean[] closed = {false};
    OutputStream sink =
        new ByteArrayOutputStream() {
          @Override
          public void close() {
            closed[0] = true;
          }
        };

    Hashing.sha256().tee(sink).close();

    assertThat(closed[0]).isFalse();
  }
}
