package org.silverlining.node.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceParserTest {
  private final List<ErrorReport> found = new ArrayList<>();
  private final TraceParser parser = new TraceParser(found::add);

  private void print(String text) {
    for (String line : text.split("\n", -1)) {
      parser.line(line);
    }
  }

  @Test
  void aPythonTracebackIsOneReportWithItsTypeMessageAndInnermostFrameFirst() {
    print(
        """
        127.0.0.1 - GET /crash
        Traceback (most recent call last):
          File "/usr/lib/python3.11/wsgiref/handlers.py", line 137, in run
            self.result = application(self.environ, self.start_response)
                          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
          File "/srv/app.py", line 50, in app
            raise ZeroDivisionError("envapp crash on purpose")
        ZeroDivisionError: envapp crash on purpose
        next line""");

    assertThat(found).hasSize(1);
    ErrorReport r = found.get(0);
    assertThat(r.kind()).isEqualTo("python");
    assertThat(r.type()).isEqualTo("ZeroDivisionError");
    assertThat(r.message()).isEqualTo("envapp crash on purpose");
    assertThat(r.frames())
        .containsExactly("/srv/app.py in app", "/usr/lib/python3.11/wsgiref/handlers.py in run");
    assertThat(r.sample()).startsWith("Traceback").endsWith("envapp crash on purpose");
  }

  @Test
  void theSameErrorWithAnotherMessageOrLineHasTheSameSignature() {
    print("Traceback (most recent call last):\n  File \"a.py\", line 3, in f\nKeyError: 'x'");
    print("Traceback (most recent call last):\n  File \"a.py\", line 9, in f\nKeyError: 'y'");
    print("Traceback (most recent call last):\n  File \"a.py\", line 9, in g\nKeyError: 'y'");

    assertThat(found.get(0).signature()).isEqualTo(found.get(1).signature());
    assertThat(found.get(2).signature()).isNotEqualTo(found.get(0).signature());
  }

  @Test
  void aJavaStackTraceEndsAtTheFirstLineThatIsNotPartOfIt() {
    print(
        """
        Exception in thread "main" java.lang.IllegalStateException: no table
        \tat org.example.Store.load(Store.java:42)
        \tat org.example.Main.main(Main.java:7)
        Caused by: java.sql.SQLException: gone
        \tat org.sqlite.Db.open(Db.java:1)
        \t... 2 more
        12:00 INFO started again""");

    assertThat(found).hasSize(1);
    ErrorReport r = found.get(0);
    assertThat(r.kind()).isEqualTo("java");
    assertThat(r.type()).isEqualTo("java.lang.IllegalStateException");
    assertThat(r.message()).isEqualTo("no table");
    assertThat(r.frames()).containsExactly("org.example.Store.load", "org.example.Main.main");
    assertThat(r.sample()).contains("Caused by: java.sql.SQLException: gone");
  }

  @Test
  void aJavaTraceAtTheEndOfTheOutputIsFlushed() {
    print("java.io.IOException: disk\n\tat a.B.c(B.java:1)");
    assertThat(found).isEmpty();

    parser.flush();

    assertThat(found).extracting(ErrorReport::type).containsExactly("java.io.IOException");
  }

  @Test
  void aClassNameAloneOnALineIsNotATrace() {
    print("org.example.Main started\nloaded java.lang.String\nok");
    parser.flush();

    assertThat(found).isEmpty();
  }

  @Test
  void aPhpFatalErrorIsOneReport() {
    print("PHP Fatal error:  Uncaught Exception: boom in /srv/index.php:12");

    assertThat(found).hasSize(1);
    assertThat(found.get(0).kind()).isEqualTo("php");
    assertThat(found.get(0).type()).isEqualTo("Exception");
    assertThat(found.get(0).frames()).containsExactly("/srv/index.php");
  }
}
