package org.silverlining.node.monitor;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.silverlining.node.front.LiveInstance;
import org.silverlining.node.process.AppProcess;

/**
 * The node's metrics registry: the front's counters ({@link FrontMetrics}), the app processes' CPU
 * time, memory and restarts, the machine's load, memory, swap and free disk, and the JVM's own.
 * Process and machine figures are read from {@code /proc} when scraped, so they cost nothing
 * between scrapes.
 */
public final class NodeMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final FrontMetrics front = new FrontMetrics(registry);
  private final ProcFiles proc;
  private final Path disk;
  private final Supplier<List<LiveInstance>> running;
  private final Supplier<List<ServedCertificate>> certificates;
  private final Clock clock;

  /**
   * @param disk a path on the file system whose free space is reported (the node's root)
   * @param running the instances running now
   * @param certificates the certificates the node serves now
   */
  public NodeMetrics(
      ProcFiles proc,
      Path disk,
      Supplier<List<LiveInstance>> running,
      Supplier<List<ServedCertificate>> certificates,
      Clock clock) {
    this.proc = proc;
    this.disk = disk;
    this.running = running;
    this.certificates = certificates;
    this.clock = clock;
    registerProcesses();
    registerMachine();
    registerCertificates();
    JvmMetrics.builder().register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  public FrontMetrics front() {
    return front;
  }

  /** Writes every metric in the Prometheus text format. */
  public void write(OutputStream out) throws IOException {
    writer.write(out, registry.scrape());
  }

  /** The content type of {@link #write}'s output. */
  public String contentType() {
    return writer.getContentType();
  }

  private void registerProcesses() {
    CounterWithCallback.builder()
        .name("silver_process_cpu_seconds_total")
        .help("CPU time (user and system) of an app's process")
        .labelNames("app", "instance", "process")
        .callback(cb -> eachProcess((p, pid) -> proc.cpuSeconds(pid).ifPresent(s -> cb.call(s, p))))
        .register(registry);
    GaugeWithCallback.builder()
        .name("silver_process_resident_memory_bytes")
        .help("Resident memory of an app's process")
        .labelNames("app", "instance", "process")
        .callback(
            cb -> eachProcess((p, pid) -> proc.residentBytes(pid).ifPresent(b -> cb.call(b, p))))
        .register(registry);
    CounterWithCallback.builder()
        .name("silver_process_restarts_total")
        .help("Times the supervisor restarted an app's process")
        .labelNames("app", "instance", "process")
        .callback(
            cb -> {
              for (LiveInstance live : running.get()) {
                if (live.processes() != null) {
                  for (AppProcess p : live.processes().processes()) {
                    cb.call(p.restarts(), labels(live, p));
                  }
                }
              }
            })
        .register(registry);
  }

  private interface ProcessVisitor {
    void visit(String[] labels, long pid);
  }

  private void eachProcess(ProcessVisitor v) {
    for (LiveInstance live : running.get()) {
      if (live.processes() == null) {
        continue;
      }
      for (AppProcess p : live.processes().processes()) {
        long pid = p.pid();
        if (pid > 0) {
          v.visit(labels(live, p), pid);
        }
      }
    }
  }

  private static String[] labels(LiveInstance live, AppProcess p) {
    return new String[] {live.app(), live.name(), Integer.toString(p.index() + 1)};
  }

  private void registerMachine() {
    GaugeWithCallback.builder()
        .name("silver_node_load1")
        .help("The machine's load average over one minute")
        .callback(cb -> proc.load1().ifPresent(v -> cb.call(v)))
        .register(registry);
    GaugeWithCallback.builder()
        .name("silver_node_memory_available_bytes")
        .help("Memory available to new work without swapping (MemAvailable)")
        .callback(cb -> proc.memory().ifPresent(m -> cb.call(m.available())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("silver_node_swap_used_bytes")
        .help("Swap in use")
        .callback(cb -> proc.memory().ifPresent(m -> cb.call(m.swapUsed())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("silver_node_disk_free_bytes")
        .help("Free space on the file system of the node's root")
        .callback(
            cb -> {
              long free = diskFree();
              if (free >= 0) {
                cb.call(free);
              }
            })
        .register(registry);
  }

  private void registerCertificates() {
    GaugeWithCallback.builder()
        .name("silver_certificate_expiry_seconds")
        .help("Seconds until a served certificate's not-after (negative once expired)")
        .labelNames("host", "source")
        .callback(
            cb -> {
              long now = clock.millis();
              for (ServedCertificate c : certificates.get()) {
                cb.call((c.notAfter().toEpochMilli() - now) / 1000.0, c.host(), c.source());
              }
            })
        .register(registry);
  }

  /** Bytes free to this user on the node's file system, or -1. */
  long diskFree() {
    try {
      return store().getUsableSpace();
    } catch (IOException e) {
      return -1;
    }
  }

  /** The size of the node's file system in bytes, or -1. */
  long diskTotal() {
    try {
      return store().getTotalSpace();
    } catch (IOException e) {
      return -1;
    }
  }

  private FileStore store() throws IOException {
    return Files.getFileStore(disk);
  }
}
