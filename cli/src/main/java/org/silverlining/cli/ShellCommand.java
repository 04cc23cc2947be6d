package org.silverlining.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silver shell LOCATION}: an interactive interpreter on the node with the app loaded. */
@Command(
    name = "shell",
    description = {
      "An interactive session on the node with the app at LOCATION loaded, in its folder and",
      "environment: for a Python app a Python console with `application` (the WSGI app) and the",
      "runner's globals; for a Java app jshell with the app's classpath. On a terminal it runs on",
      "a pseudo-terminal on the node (line editing, Ctrl-C interrupts, Ctrl-D ends); otherwise the",
      "code on standard input runs and its output is printed."
    })
final class ShellCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "LOCATION")
  String location;

  @Option(
      names = "--instance",
      paramLabel = "INSTANCE",
      description = "Load this instance of the app instead of the live one.")
  String instance;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    NodeRegistry.NodeRef ref = node.client().node();
    boolean terminal = System.console() != null;
    Map<String, String> p = new LinkedHashMap<>();
    p.put("location", location);
    p.put("instance", instance);
    String saved = null;
    if (terminal) {
      p.put("terminal", "true");
      String[] size = stty("size").strip().split("\\s+");
      // A terminal that does not know its size says 0 0: the node's default then.
      if (size.length == 2 && !size[0].equals("0") && !size[1].equals("0")) {
        p.put("rows", size[0]);
        p.put("cols", size[1]);
      }
      p.put("term", System.getenv("TERM"));
      saved = stty("-g").strip();
    }
    try (DuplexRequest r = DuplexRequest.open(ref.adminUrl(), ref.token(), "shell", p)) {
      if (terminal) {
        stty("raw", "-echo");
      }
      Thread input = new Thread(() -> sendInput(r), "shell-input");
      input.setDaemon(true);
      input.start();
      DuplexRequest.Answer answer = r.answer();
      if (answer.status() != 200) {
        throw new UserException(errorOf(answer));
      }
      InputStream body = answer.body();
      byte[] buf = new byte[8192];
      int n;
      while ((n = body.read(buf)) > 0) {
        System.out.write(buf, 0, n);
        System.out.flush();
      }
    } catch (IOException e) {
      throw new UserException(
          "the session with the node '" + ref.name() + "' broke: " + e.getMessage());
    } finally {
      if (saved != null) {
        stty(saved);
      }
    }
    return 0;
  }

  private static void sendInput(DuplexRequest r) {
    byte[] buf = new byte[4096];
    try {
      int n;
      while ((n = System.in.read(buf)) > 0) {
        r.send(buf, n);
      }
      r.finish();
    } catch (IOException e) {
      // the session ended
    }
  }

  private static String errorOf(DuplexRequest.Answer answer) throws IOException {
    String text = answer.text();
    try {
      com.fasterxml.jackson.databind.JsonNode j =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
      if (j != null && j.has("error")) {
        return j.get("error").asText();
      }
    } catch (IOException e) {
      // not JSON: show it as it is
    }
    return text.isBlank() ? "the node answered " + answer.status() : text;
  }

  /** Runs {@code stty ARGS} on the controlling terminal; its output. */
  private static String stty(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("stty");
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/tty")))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}
