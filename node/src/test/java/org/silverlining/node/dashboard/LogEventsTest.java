package org.silverlining.node.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.logs.LogTail;

/** An app's log as server-sent events: the last lines, then what is written, one event a line. */
class LogEventsTest {
  @TempDir Path dir;

  @Test
  void sendsTheLastLinesThenEachNewLineAsAnEvent() throws Exception {
    Path log = Files.writeString(dir.resolve("app.log"), "one\ntwo\r\n");
    Sink sink = new Sink();
    Thread t = new Thread(() -> run(log, sink));
    t.start();
    try {
      sink.await("data: two\n\n");
      Files.writeString(log, "three <b>\npartial", StandardOpenOption.APPEND);
      sink.await("data: three <b>\n\n");
      assertThat(sink.text()).doesNotContain("partial");
      Files.writeString(log, " line\n", StandardOpenOption.APPEND);
      sink.await("data: partial line\n\n");
      assertThat(sink.text()).startsWith("retry: 2000\n\ndata: one\n\ndata: two\n\n");
    } finally {
      t.interrupt();
      t.join(TimeUnit.SECONDS.toMillis(10));
    }
    assertThat(t.isAlive()).isFalse();
  }

  @Test
  void endsWithAnEndEventOnceTheSessionHasEnded() throws Exception {
    Path log = Files.writeString(dir.resolve("app.log"), "x\n");
    java.util.concurrent.atomic.AtomicBoolean live =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    Sink sink = new Sink();
    Thread t =
        new Thread(
            () -> {
              try {
                LogEvents.stream(new LogTail(log), sink, live::get);
              } catch (InterruptedException | IOException e) {
                // the assertion below sees it still running
              }
            });
    t.start();
    sink.await("data: x\n\n");
    live.set(false);
    t.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(t.isAlive()).as("the stream ended by itself").isFalse();
    assertThat(sink.text()).endsWith("event: end\ndata: the session has ended\n\n");
  }

  @Test
  void endsWhenTheReaderHasGone() throws Exception {
    Path log = Files.writeString(dir.resolve("app.log"), "x\n");
    OutputStream gone =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("closed by the browser");
          }
        };
    try {
      LogEvents.stream(new LogTail(log), gone, () -> true);
    } catch (IOException e) {
      assertThat(e).hasMessage("closed by the browser");
    }
  }

  private static void run(Path log, OutputStream out) {
    try {
      LogEvents.stream(new LogTail(log), out, () -> true);
    } catch (InterruptedException | IOException e) {
      // the test ends it
    }
  }

  /** What was sent, readable while the stream runs. */
  private static final class Sink extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      bytes.write(b);
    }

    synchronized String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }

    void await(String part) throws InterruptedException {
      for (int i = 0; i < 200 && !text().contains(part); i++) {
        Thread.sleep(50);
      }
      assertThat(text()).contains(part);
    }
  }
}
