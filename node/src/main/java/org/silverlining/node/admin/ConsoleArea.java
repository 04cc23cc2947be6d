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
 * streams its output and exit code.
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

  @Override
  public void addRoutes(Routes routes) {
    routes.post("run", this::run);
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
