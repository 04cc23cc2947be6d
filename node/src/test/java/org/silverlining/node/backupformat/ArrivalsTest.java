package org.silverlining.node.backupformat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArrivalsTest {
  @TempDir Path tmp;

  @Test
  void aFileIsReadWhileItIsWrittenAndEndsWhenItIsWhole() throws Exception {
    Arrivals a = Arrivals.expected();
    Path f = tmp.resolve("data/t.tsv");
    Files.createDirectories(f.getParent());
    CompletableFuture<byte[]> read =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                Path next = a.under(tmp.resolve("data")).next();
                try (InputStream in = a.open(next)) {
                  return in.readAllBytes();
                }
              } catch (IOException e) {
                throw new RuntimeException(e);
              }
            });
    byte[] expected = new byte[300_000];
    try (OutputStream out = Files.newOutputStream(f)) {
      a.started(f);
      for (int i = 0; i < expected.length; i += 1000) {
        for (int j = i; j < i + 1000; j++) {
          expected[j] = (byte) (j * 31);
        }
        out.write(expected, i, 1000);
        out.flush();
        a.wrote(f, i + 1000);
        if (i % 50_000 == 0) {
          Thread.sleep(5);
          assertThat(read).isNotDone(); // the reader waits for the rest
        }
      }
    }
    a.ended(f);
    a.finished();

    assertThat(read.get()).isEqualTo(expected);
  }

  @Test
  void filesComeInTheOrderTheyStartedAndNullAfterTheLast() throws Exception {
    Arrivals a = Arrivals.expected();
    a.started(tmp.resolve("data/b"));
    a.started(tmp.resolve("schema.sql"));
    a.started(tmp.resolve("data/a"));
    a.finished();
    Arrivals.Cursor data = a.under(tmp.resolve("data"));

    assertThat(data.next()).isEqualTo(tmp.resolve("data/b"));
    assertThat(data.next()).isEqualTo(tmp.resolve("data/a"));
    assertThat(data.next()).isNull();
  }

  @Test
  void aFileThatNeverCameIsReportedWhenEverythingHasArrived() throws Exception {
    Arrivals a = Arrivals.expected();
    CompletableFuture<Boolean> whole =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return a.awaitWhole(tmp.resolve("schema.sql"));
              } catch (IOException e) {
                throw new RuntimeException(e);
              }
            });
    Thread.sleep(20);
    assertThat(whole).isNotDone();
    a.finished();
    assertThat(whole.get()).isFalse();
  }

  @Test
  void aReaderFailsWithTheReasonTheReceiveStopped() throws Exception {
    Arrivals a = Arrivals.expected();
    Path f = tmp.resolve("t.tsv");
    Files.write(f, new byte[10]);
    a.started(f);
    a.wrote(f, 10);
    try (InputStream in = a.open(f)) {
      assertThat(in.readNBytes(10)).hasSize(10);
      a.failed(new IOException("connection reset"));
      assertThatThrownBy(in::read).hasMessageContaining("stopped arriving: connection reset");
    }
  }

  @Test
  void aFolderThatIsAllThereReadsAtOnce() throws Exception {
    Files.createDirectories(tmp.resolve("data"));
    Files.writeString(tmp.resolve("data/t.tsv"), "id\n1\n");
    Arrivals a = Arrivals.of(tmp);

    assertThat(a.awaitWhole(tmp.resolve("data/t.tsv"))).isTrue();
    assertThat(a.awaitWhole(tmp.resolve("missing"))).isFalse();
    try (InputStream in = a.open(tmp.resolve("data/t.tsv"))) {
      assertThat(in.readAllBytes()).isEqualTo("id\n1\n".getBytes());
    }
  }
}
