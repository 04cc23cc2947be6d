package org.silverlining.node.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The programs the runtimes start and the node's own support files for them.
 *
 * @param java the JVM of Java apps (the node's own)
 * @param python the interpreter of Python apps: Debian's {@code /usr/bin/python3}, the one {@code
 *     python3-gunicorn} and {@code python3-pastedeploy} install into
 * @param phpFpm the PHP FastCGI process manager ({@code php-fpm})
 * @param php the PHP command-line interpreter, for {@code silver run} of a PHP script
 * @param supportDir where the node has written its runtime support files (Python's {@code
 *     silversupport}, the WSGI loader)
 */
public record RuntimeTools(String java, String python, String phpFpm, String php, Path supportDir) {
  /** Debian's interpreter, where its gunicorn and Paste Deploy packages live. */
  public static final String DEBIAN_PYTHON = "/usr/bin/python3";

  /** The node's JVM, Debian's Python and PHP, support files in {@code supportDir}. */
  public static RuntimeTools standard(Path supportDir) {
    return new RuntimeTools(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        DEBIAN_PYTHON,
        PhpFpm.find(),
        "/usr/bin/php",
        supportDir);
  }

  /**
   * {@code command} on a new pseudo-terminal of {@code rows} × {@code cols}, its bytes relayed over
   * standard input and output (Python's {@code pty} module: no native code in the node).
   */
  public List<String> onTerminal(int rows, int cols, List<String> command) {
    List<String> cmd = new ArrayList<>();
    cmd.add(python);
    cmd.add(supportDir.resolve("silverlining_pty.py").toString());
    cmd.add(Integer.toString(rows));
    cmd.add(Integer.toString(cols));
    cmd.add("--");
    cmd.addAll(command);
    return List.copyOf(cmd);
  }

  /** The folder of the Python support modules (on {@code sys.path} of every Python app). */
  public Path pythonSupport() {
    return supportDir.resolve("python");
  }
}
