package org.silverlining.node.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.silverlining.core.Hashing;
import org.silverlining.core.Location;
import org.silverlining.node.backup.Checkpoints;
import org.silverlining.node.cdn.CdnSettings;
import org.silverlining.node.config.ConfigChange;
import org.silverlining.node.config.ConfigStores;
import org.silverlining.node.instance.InstanceManager;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.logs.StreamLogs;
import org.silverlining.node.process.StartFailedException;
import org.silverlining.node.service.AppServices;
import org.silverlining.node.state.StateStore;
import org.silverlining.node.steps.Progress;
import org.silverlining.node.steps.StepFailedException;
import org.silverlining.node.steps.StepRecorder;
import org.silverlining.node.steps.StepsRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deploy pipeline: receive and check the upload, then unpack → resources → static → push (to
 * the app's {@code cdn}, if any) → config → provision → checkpoint → start → update_fetch →
 * migrate_fetch → test_fetch → test_command → switch → drain → prune, with every completed stage
 * undone when a later one fails (the checkpoint's undo restores the app's data). Every attempt is
 * recorded in the deployment registry before it acts. One deployment at a time per location.
 */
public final class Deployer {
  private static final Logger log = LoggerFactory.getLogger(Deployer.class);

  /** The largest upload accepted. */
  public static final long MAX_UPLOAD_BYTES = 2L * 1024 * 1024 * 1024;

  private final NodeLayout layout;
  private final StateStore state;
  private final List<DeployStep> steps;
  private final String pauseAt = System.getenv(DeploymentRecorder.PAUSE_VARIABLE);
  private final Map<String, Object> locationLocks = new ConcurrentHashMap<>();
  private final SwitchGate gate = new SwitchGate();

  /**
   * What the client asks for. {@code sha256} is the checksum the upload must have; {@code vcs} the
   * version control facts of the uploaded tree, as a JSON object ({@code {}}: none known).
   */
  public record Request(
      String app, String location, boolean replace, String sha256, String deployedBy, String vcs) {
    public Request(String app, String location, boolean replace, String sha256, String deployedBy) {
      this(app, location, replace, sha256, deployedBy, "{}");
    }
  }

  /** Where each update's stages and outcome go: the app's {@code update.log}. */
  private final StreamLogs streamLogs;

  public Deployer(
      NodeLayout layout,
      StateStore state,
      AppServices services,
      InstanceManager instances,
      ConfigStores configs,
      Runnable publishRoutes,
      StreamLogs streamLogs,
      java.util.function.BooleanSupplier productionResources,
      java.util.function.BiFunction<Map<String, String>, String, CdnSettings> cdnOf) {
    this.layout = layout;
    this.state = state;
    this.streamLogs = streamLogs;
    Checkpoints checkpoints = new Checkpoints(layout);
    this.steps =
        List.of(
            new UnpackStep(layout, state),
            new ResourcesStep(productionResources),
            new StaticStep(),
            new PushStep(cdnOf),
            new ConfigStep(configs, state),
            new ProvisionStep(services),
            new CheckpointStep(checkpoints, layout),
            new StartInstanceStep(instances),
            FetchStep.update(),
            FetchStep.migrate(),
            FetchStep.test(),
            new TestCommandStep(instances),
            new HoldStep(gate),
            new SwitchLocationStep(state, publishRoutes),
            new StopPreviousStep(instances),
            new PruneInstancesStep(layout, state, checkpoints));
    if (pauseAt != null) {
      log.warn(
          "TEST MODE: {}={} — every deployment pauses after that stage",
          DeploymentRecorder.PAUSE_VARIABLE,
          pauseAt);
    }
  }

  /** Where the held deployments of nodeset updates wait for their switch. */
  public SwitchGate gate() {
    return gate;
  }

  /**
   * Checks that {@code req} may be deployed at all, before its upload is read: a valid location,
   * not owned by another app unless {@code replace}.
   */
  public Location admit(Request req) throws DeployFailedException, SQLException {
    Location location;
    try {
      location = Location.parse(req.location());
    } catch (IllegalArgumentException e) {
      throw new DeployFailedException("request", e.getMessage(), List.of());
    }
    StateStore.LocationRecord current = state.location(location.toString()).orElse(null);
    if (current != null && !current.app().equals(req.app()) && !req.replace()) {
      throw new DeployFailedException(
          "request",
          "the location "
              + location
              + " belongs to the app '"
              + current.app()
              + "'; pass --replace to give it to '"
              + req.app()
              + "'",
          List.of());
    }
    return location;
  }

  /** Deploys the upload read from {@code body}; returns the new instance's name. */
  public String deploy(Request req, InputStream body, Progress progress)
      throws DeployFailedException, IOException, SQLException {
    return deploy(req, body, ConfigChange.KEEP, progress);
  }

  /**
   * Deploys the upload read from {@code body} with the configuration {@code change}; returns the
   * new instance's name.
   */
  public String deploy(Request req, InputStream body, ConfigChange change, Progress progress)
      throws DeployFailedException, IOException, SQLException {
    return deploy(req, body, change, null, progress);
  }

  /**
   * Deploys as {@link #deploy(Request, InputStream, ConfigChange, Progress)} does; with {@code
   * hold}, as one app server of a nodeset: the deployment waits before its switch for {@link
   * #gate()} to say whether to go on.
   */
  public String deploy(
      Request req, InputStream body, ConfigChange change, SwitchGate.Hold hold, Progress progress)
      throws DeployFailedException, IOException, SQLException {
    Location location = admit(req);
    Consumer<String> journal = streamLogs.to(req.app(), StreamLogs.UPDATE);
    progress = Progress.journaled("update", progress, journal);
    DeploymentRecorder recorder =
        new DeploymentRecorder(
            state,
            layout,
            state.addDeployment(
                req.app(),
                location.toString(),
                req.deployedBy(),
                state.location(location.toString()).orElse(null),
                req.vcs()),
            pauseAt);
    long t0 = System.nanoTime();
    Path upload;
    try {
      upload = receive(req, body, progress);
    } catch (DeployFailedException | IOException | RuntimeException e) {
      recorder.failed("upload", String.valueOf(e.getMessage()));
      journal.accept("update failed at upload: " + e.getMessage());
      throw e;
    }
    recorder.uploaded((System.nanoTime() - t0) / 1_000_000);
    try {
      synchronized (locationLocks.computeIfAbsent(location.toString(), k -> new Object())) {
        StateStore.LocationRecord before = state.location(location.toString()).orElse(null);
        state.setDeploymentBefore(recorder.id(), before);
        state.ensureApp(req.app());
        Deployment d =
            new Deployment(req.app(), location, upload, req.deployedBy(), progress, before);
        d.configChange = change;
        d.hold = hold;
        d.recorder = recorder;
        d.journal = journal;
        runSteps(d);
        recorder.succeeded();
        return d.instance;
      }
    } finally {
      Files.deleteIfExists(upload);
    }
  }

  /**
   * Applies configuration {@code change} at {@code location} without new code: a new instance with
   * a copy of the live instance's files is started with it, checked, and switched in like a
   * deployment, so no request fails. Returns the new instance's name.
   */
  public String reconfigure(String location, ConfigChange change, String who, Progress progress)
      throws DeployFailedException, IOException, SQLException {
    Location where;
    try {
      where = Location.parse(location);
    } catch (IllegalArgumentException e) {
      throw new DeployFailedException("request", e.getMessage(), List.of());
    }
    synchronized (locationLocks.computeIfAbsent(where.toString(), k -> new Object())) {
      StateStore.LocationRecord before = state.location(where.toString()).orElse(null);
      if (before == null || before.active() == null) {
        throw new DeployFailedException(
            "request", "nothing is live at " + where + " on this node", List.of());
      }
      Consumer<String> journal = streamLogs.to(before.app(), StreamLogs.UPDATE);
      Deployment d =
          new Deployment(
              before.app(),
              where,
              null,
              who,
              Progress.journaled("update", progress, journal),
              before);
      d.journal = journal;
      d.sourceDir = layout.instanceDir(before.app(), before.active());
      d.configChange = change;
      d.recorder =
          new DeploymentRecorder(
              state,
              layout,
              state.addDeployment(
                  before.app(),
                  where.toString(),
                  who,
                  before,
                  state
                      .deploymentOf(before.active())
                      .map(StateStore.DeploymentRecord::vcs)
                      .orElse("{}")),
              pauseAt);
      runSteps(d);
      d.recorder.succeeded();
      return d.instance;
    }
  }

  /**
   * Runs the steps on {@code d}, each recorded in the deployment registry before it acts; a failure
   * carries the failing stage, its message and the app's last output lines.
   */
  private void runSteps(Deployment d) throws DeployFailedException {
    try {
      StepsRunner.run("update", steps, d, d.progress, recorderOf(d), d.journal);
    } catch (StepFailedException e) {
      Exception cause = e.failure();
      List<String> tail =
          cause instanceof StartFailedException s
              ? s.logTail()
              : cause instanceof DeployFailedException f ? f.logTail() : List.of();
      log.warn("deployment of {} failed at {}: {}", d.app, e.step(), e.getMessage());
      throw new DeployFailedException(e.step(), e.getMessage(), tail, e.undoProblems());
    }
  }

  private static StepRecorder recorderOf(Deployment d) {
    DeploymentRecorder r = d.recorder;
    if (r == null) {
      return StepRecorder.NONE;
    }
    return new StepRecorder() {
      @Override
      public void started(String step) throws Exception {
        r.started(step);
      }

      @Override
      public void ran(String step, long millis) throws Exception {
        r.ran(d, step, millis);
      }

      @Override
      public void failed(String step, String error) {
        r.failed(step, error);
      }
    };
  }

  private Path receive(Request req, InputStream body, Progress progress)
      throws IOException, DeployFailedException {
    progress.started("upload");
    long t0 = System.nanoTime();
    Files.createDirectories(layout.uploadsDir());
    Path upload = layout.uploadsDir().resolve(UUID.randomUUID() + ".tar.gz");
    Hashing.Digest digest = Hashing.sha256();
    long size = 0;
    try (OutputStream out = Files.newOutputStream(upload)) {
      byte[] buf = new byte[65536];
      int n;
      while ((n = body.read(buf)) > 0) {
        size += n;
        if (size > MAX_UPLOAD_BYTES) {
          throw new DeployFailedException(
              "upload",
              "the upload is larger than " + (MAX_UPLOAD_BYTES >> 20) + " MiB",
              List.of());
        }
        digest.update(buf, 0, n);
        out.write(buf, 0, n);
      }
    } catch (IOException | DeployFailedException e) {
      Files.deleteIfExists(upload);
      throw e;
    }
    String actual = digest.hex();
    if (req.sha256() != null && !req.sha256().isEmpty() && !req.sha256().equalsIgnoreCase(actual)) {
      Files.deleteIfExists(upload);
      throw new DeployFailedException(
          "upload",
          "checksum mismatch: the upload was damaged on the way (expected "
              + req.sha256()
              + ", got "
              + actual
              + "); try again",
          List.of());
    }
    progress.finished(
        "upload", (System.nanoTime() - t0) / 1_000_000, (size / 1024) + " KiB, sha256 ok");
    return upload;
  }
}
