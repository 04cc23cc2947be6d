package org.silverlining.node.admin;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.silverlining.node.api.ApiArea;
import org.silverlining.node.api.ApiCall;
import org.silverlining.node.api.Params;
import org.silverlining.node.api.Routes;
import org.silverlining.node.control.AppConsole;
import org.silverlining.node.errors.InvalidParameterException;

/**
 * Commands of a deployed app: {@code POST run} runs a script of the app in its environment and
 * streams its output and exit code; {@code POST shell} is an interactive interpreter with the app
 * loaded, the request's body its input and the answer's its output, both streamed at once.
 */
final class ConsoleArea implements ApiArea {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A script may run for long without printing anything. */
  private static final long LONG_IDLE = java.time.Duration.ofHours(12).toMillis();

  private final AppConsole console;

  ConsoleArea(AppConsole console) {
    this.console = console;
  }

  /**
   * {@code args}: the arguments as a JSON array of strings; {@code uploads}: the indexes of those
   * uploaded, comma-separated.
   */
  record RunParams(
      String location, String instance, String script, String java, String args, String uploads) {
    RunParams {
      Params.required("location", location);
      instance = Params.optional(instance);
      script = Params.optional(script);
      java = Params.optional(java);
      if (script == null && java == null) {
        throw InvalidParameterException.missing("script");
      }
    }

    List<String> argList() throws InvalidParameterException {
      if (args == null || args.isBlank()) {
        return List.of();
      }
      try {
        return JSON.readValue(args, new TypeReference<List<String>>() {});
      } catch (IOException e) {
        throw new InvalidParameterException("args", "args is a JSON array of strings");
      }
    }

    Set<Integer> uploadIndexes() throws InvalidParameterException {
      Set<Integer> out = new LinkedHashSet<>();
      if (uploads == null || uploads.isBlank()) {
        return out;
      }
      for (String i : uploads.split(",")) {
        try {
          out.add(Integer.parseInt(i.strip()));
        } catch (NumberFormatException e) {
          throw new InvalidParameterException(
              "uploads", "uploads is a list of argument indexes, not " + uploads);
        }
      }
      return out;
    }
  }

  /** {@code terminal}: on a pseudo-terminal of {@code rows} × {@code cols} (default 24 × 80). */
  record ShellParams(
      String location, String instance, boolean terminal, Integer rows, Integer cols, String term) {
    ShellParams {
      Params.required("location", location);
      instance = Params.optional(instance);
      rows = Params.atLeast("rows", rows, 1, 24);
      cols = Params.atLeast("cols", cols, 1, 80);
      term = Params.optional(term);
    }
  }

  @Override
  public void addRoutes(Routes routes) {
    routes.post("run", this::run).post("shell", this::shell);
  }

  private void shell(ApiCall call) throws Exception {
    ShellParams p = call.params(ShellParams.class);
    AppConsole.Target t = console.target(p.location(), p.instance());
    console.shellCommand(t); // refused before the answer starts
    call.request().getConnectionMetaData().getConnection().getEndPoint().setIdleTimeout(LONG_IDLE);
    call.response().setStatus(200);
    call.response().getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
    try (InputStream body = Content.Source.asInputStream(call.request());
        OutputStream out = Content.Sink.asOutputStream(call.response())) {
      out.flush(); // the headers now: the client waits for them before it shows anything
      console.shell(t, p.terminal(), p.rows(), p.cols(), p.term(), body, out);
    } catch (IOException e) {
      // the client went away
    }
    call.callback().succeeded();
  }

  private void run(ApiCall call) throws Exception {
    RunParams p = call.params(RunParams.class);
    AppConsole.Target t = console.target(p.location(), p.instance());
    List<String> args = p.argList();
    Set<Integer> uploads = p.uploadIndexes();
    // Checked before the answer starts, so that a wrong script is an error answer.
    console.runCommand(t, p.script(), p.java(), args);
    call.request().getConnectionMetaData().getConnection().getEndPoint().setIdleTimeout(LONG_IDLE);
    call.response().setStatus(200);
    call.response().getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-ndjson");
    try (InputStream body = Content.Source.asInputStream(call.request());
        OutputStream out = Content.Sink.asOutputStream(call.response())) {
      console.run(t, p.script(), p.java(), args, uploads, body, out);
    }
    call.callback().succeeded();
  }
}
