package org.silverlining.node.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.silverlining.core.AppArchive;
import org.silverlining.core.AppConfig;
import org.silverlining.core.Runtime;
import org.silverlining.node.errors.ConflictException;
import org.silverlining.node.errors.InvalidParameterException;
import org.silverlining.node.errors.NotFoundException;
import org.silverlining.node.errors.RefusedException;
import org.silverlining.node.instance.InstanceManager;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.layout.Trees;
import org.silverlining.node.process.DaemonThreads;
import org.silverlining.node.runtime.AppRuntime;
import org.silverlining.node.runtime.AppRuntimes;
import org.silverlining.node.runtime.RuntimeTools;
import org.silverlining.node.service.ServiceException;
import org.silverlining.node.state.StateStore;

/**
 * {@code silver run} and {@code silver shell}: commands of a deployed app, run on the node in the
 * instance's folder with the environment its processes have (services, {@code CONFIG_*}, {@code
 * SILVER_*}), the live instance unless another of the app's instances is named.
 */
public final class AppConsole {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Locations locations;
  private final StateStore state;
  private final NodeLayout layout;
  private final InstanceManager instances;
  private final RuntimeTools tools;
  private final boolean devel;

  public AppConsole(
      Locations locations,
      StateStore state,
      NodeLayout layout,
      InstanceManager instances,
      RuntimeTools tools,
      boolean devel) {
    this.locations = locations;
    this.state = state;
    this.layout = layout;
    this.instances = instances;
    this.tools = tools;
    this.devel = devel;
  }

  /** An instance a command runs in: its folder, app.ini and environment. */
  public record Target(String instance, Path dir, AppConfig config, Map<String, String> env) {}

  /** The live instance at {@code location}, or its app's instance {@code instance}. */
  public Target target(String location, String instance)
      throws RefusedException, SQLException, IOException, ServiceException {
    StateStore.LocationRecord r = locations.record(location);
    String name = instance == null || instance.isBlank() ? r.active() : instance;
    if (name == null) {
      throw new ConflictException("nothing is live at " + r.location() + "; name an --instance");
    }
    StateStore.InstanceRecord i =
        state
            .instance(name)
            .filter(rec -> rec.app().equals(r.app()))
            .orElseThrow(
                () -> new NotFoundException("the app " + r.app() + " has no instance " + name));
    Path dir = layout.instanceDir(i.app(), name);
    if (!Files.isDirectory(dir)) {
      throw new ConflictException("the files of " + name + " are gone (pruned)");
    }
    AppConfig config = AppConfig.load(dir, devel).withAppName(i.app());
    return new Target(name, dir, config, instances.commandEnvironment(name));
  }

  /**
   * The command of {@code silver run}: the class {@code javaClass} on a Java app's classpath, or
   * {@code script} (relative to the app's folder, or in its {@code bin/}) as the app's runtime runs
   * it.
   */
  public List<String> runCommand(Target t, String script, String javaClass, List<String> args)
      throws RefusedException {
    if (javaClass != null && !javaClass.isBlank()) {
      if (t.config().runtime() != Runtime.JAVA) {
        throw new InvalidParameterException(
            "java",
            "--java runs a class of a java app; this app's runtime is "
                + t.config().runtime().id());
      }
      return AppRuntimes.javaMain(t.config(), javaClass, args, tools);
    }
    if (script == null || script.isBlank()) {
      throw new InvalidParameterException("script", "name a script to run (or --java CLASS)");
    }
    String rel = scriptPath(t.dir(), script);
    AppRuntime runtime =
        t.config().processCount() == 0 ? AppRuntimes.plain() : AppRuntimes.of(t.config().runtime());
    return runtime.script(t.config(), rel, args, tools);
  }

  /** {@code script} as a path inside the app's folder: as given, else under {@code bin/}. */
  static String scriptPath(Path dir, String script) throws NotFoundException {
    for (String candidate : List.of(script, "bin/" + script)) {
      Path p = dir.resolve(candidate).normalize();
      if (p.startsWith(dir) && Files.isRegularFile(p)) {
        return dir.relativize(p).toString();
      }
    }
    throw new NotFoundException("the app has no script " + script + " (nor bin/" + script + ")");
  }

  /** The command of {@code silver shell}: the runtime's interpreter with the app loaded. */
  public List<String> shellCommand(Target t) throws RefusedException {
    List<String> cmd =
        t.config().processCount() == 0
            ? List.of()
            : AppRuntimes.of(t.config().runtime()).shell(t.config(), tools);
    if (cmd.isEmpty()) {
      throw new ConflictException(
          "runtime " + t.config().runtime().id() + " has no shell; use silver run");
    }
    return cmd;
  }

  /** A folder for one command's uploaded files, under the app's temporary folder. */
  public Path uploadFolder(Target t) throws IOException {
    Path tmp = layout.appTmp(t.config().appName());
    Files.createDirectories(tmp);
    return Files.createTempDirectory(tmp, "run-");
  }

  /**
   * Runs {@code argv} for {@code silver run}: the uploads ({@code .tar.gz} of {@code INDEX/NAME}
   * entries, or empty) are unpacked into a folder of their own, and each argument whose index is in
   * {@code uploaded} is replaced by the path of its upload. Output goes to {@code out} as JSON
   * lines as it comes, {@code {"out": TEXT}} and {@code {"err": TEXT}}, then {@code {"exit":
   * CODE}}. The uploads are deleted when it ends; a client that goes away ends the command.
   */
  public void run(
      Target t,
      String script,
      String javaClass,
      List<String> args,
      Set<Integer> uploaded,
      InputStream uploads,
      OutputStream out)
      throws Exception {
    Path folder = uploadFolder(t);
    try {
      byte[] first = uploads.readNBytes(1);
      if (first.length > 0) {
        AppArchive.unpack(
            new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(first), uploads),
            folder);
      }
      List<String> argv = runCommand(t, script, javaClass, substitute(args, uploaded, folder));
      ProcessBuilder pb = new ProcessBuilder(argv).directory(t.dir().toFile());
      pb.environment().clear();
      pb.environment().putAll(t.env());
      Process p = pb.start();
      p.getOutputStream().close();
      Thread err = pump(p.getErrorStream(), "err", out, p);
      pump(p.getInputStream(), "out", out, p).join();
      err.join();
      int code = p.waitFor();
      line(out, Map.of("exit", code));
    } finally {
      Trees.delete(folder);
    }
  }

  /**
   * Runs {@code silver shell}: the runtime's interpreter with the app loaded, on a new
   * pseudo-terminal of {@code rows} × {@code cols} when {@code terminal} (the client's keys relayed
   * as typed, {@code TERM} set to {@code term}), else on plain pipes (the interpreter reads code
   * from {@code in} until it ends). What it writes goes to {@code out} as it comes; returns its
   * exit code. A client that goes away ends it.
   */
  public int shell(
      Target t, boolean terminal, int rows, int cols, String term, InputStream in, OutputStream out)
      throws Exception {
    List<String> cmd = shellCommand(t);
    if (terminal) {
      cmd = tools.onTerminal(rows, cols, cmd);
    }
    ProcessBuilder pb =
        new ProcessBuilder(cmd).directory(t.dir().toFile()).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(t.env());
    if (terminal) {
      pb.environment().put("TERM", term == null || term.isBlank() ? "xterm" : term);
    }
    Process p = pb.start();
    Thread input =
        DaemonThreads.named("shell-in")
            .newThread(
                () -> {
                  try (OutputStream toProcess = p.getOutputStream()) {
                    byte[] buf = new byte[4096];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                      toProcess.write(buf, 0, n);
                      toProcess.flush();
                    }
                  } catch (IOException e) {
                    // the process ended, or the client went away: its output side says which
                  }
                });
    input.start();
    try (InputStream fromProcess = p.getInputStream()) {
      byte[] buf = new byte[8192];
      int n;
      while ((n = fromProcess.read(buf)) > 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy(); // the client went away
    }
    return p.waitFor();
  }

  /** Each uploaded argument replaced by the path of what was unpacked for it. */
  static List<String> substitute(List<String> args, Set<Integer> uploaded, Path folder)
      throws IOException {
    List<String> out = new ArrayList<>(args);
    for (int i : uploaded) {
      if (i < 0 || i >= args.size()) {
        throw new IOException("upload index " + i + " names no argument");
      }
      Path dir = folder.resolve(Integer.toString(i));
      try (var names = Files.list(dir)) {
        Path only =
            names
                .findFirst()
                .orElseThrow(() -> new IOException("argument " + i + " has no upload"));
        out.set(i, only.toAbsolutePath().toString());
      }
    }
    return out;
  }

  private static Thread pump(InputStream in, String key, OutputStream out, Process p) {
    Thread t =
        DaemonThreads.named("run-" + key)
            .newThread(
                () -> {
                  char[] buf = new char[8192];
                  try (var reader = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
                    int n;
                    while ((n = reader.read(buf)) > 0) {
                      line(out, Map.of(key, new String(buf, 0, n)));
                    }
                  } catch (IOException e) {
                    p.descendants().forEach(ProcessHandle::destroy);
                    p.destroy(); // the client went away
                  }
                });
    t.start();
    return t;
  }

  private static void line(OutputStream out, Map<String, Object> fields) throws IOException {
    byte[] bytes = (JSON.writeValueAsString(fields) + "\n").getBytes(StandardCharsets.UTF_8);
    synchronized (out) {
      out.write(bytes);
      out.flush();
    }
  }
}
