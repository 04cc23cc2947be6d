package org.silverlining.node.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What Linux tells of the machine and of a process under {@code /proc}: load, memory, swap, CPU
 * time and memory pressure. Each reader returns empty when the file is missing (another OS, a
 * container without {@code /proc/pressure}); the parsers are pure, for tests.
 */
public final class ProcFiles {
  /** Clock ticks per second of {@code /proc/PID/stat}: 100 on every Linux the JDK runs on. */
  static final double TICKS_PER_SECOND = 100.0;

  /** Bytes of a page in {@code /proc/PID/statm}. */
  static final long PAGE_BYTES = 4096;

  private final Path proc;

  public ProcFiles(Path proc) {
    this.proc = proc;
  }

  /** The machine's {@code /proc}. */
  public static ProcFiles system() {
    return new ProcFiles(Path.of("/proc"));
  }

  /** Memory figures of {@code /proc/meminfo}, in bytes. */
  public record Memory(long total, long available, long swapTotal, long swapFree) {
    public long swapUsed() {
      return Math.max(0, swapTotal - swapFree);
    }
  }

  /** Cumulative CPU ticks of {@code /proc/stat}'s first line: busy and total. */
  public record CpuTicks(long busy, long total) {
    /** The busy share between {@code before} and this reading, 0 to 1. */
    public double busySince(CpuTicks before) {
      long t = total - before.total;
      return t <= 0 ? 0 : Math.min(1, Math.max(0, (double) (busy - before.busy) / t));
    }
  }

  public OptionalDouble load1() {
    String s = read("loadavg");
    return s == null ? OptionalDouble.empty() : OptionalDouble.of(parseLoad1(s));
  }

  public java.util.Optional<Memory> memory() {
    String s = read("meminfo");
    return s == null ? java.util.Optional.empty() : java.util.Optional.of(parseMeminfo(s));
  }

  public java.util.Optional<CpuTicks> cpu() {
    String s = read("stat");
    return s == null ? java.util.Optional.empty() : java.util.Optional.of(parseStat(s));
  }

  /** The share of the last minute some task waited for memory ({@code some avg60}), 0 to 1. */
  public OptionalDouble memoryPressure() {
    String s = read("pressure/memory");
    return s == null ? OptionalDouble.empty() : parsePressure(s);
  }

  /** CPU seconds (user + system) the process {@code pid} has used, or empty when it is gone. */
  public OptionalDouble cpuSeconds(long pid) {
    String s = read(pid + "/stat");
    return s == null ? OptionalDouble.empty() : OptionalDouble.of(parsePidCpuSeconds(s));
  }

  /** The resident memory of the process {@code pid} in bytes, or empty when it is gone. */
  public OptionalLong residentBytes(long pid) {
    String s = read(pid + "/statm");
    if (s == null) {
      return OptionalLong.empty();
    }
    String[] f = s.strip().split("\\s+");
    return f.length < 2 ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(f[1]) * PAGE_BYTES);
  }

  private String read(String name) {
    try {
      return Files.readString(proc.resolve(name), StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static double parseLoad1(String loadavg) {
    return Double.parseDouble(loadavg.strip().split("\\s+")[0]);
  }

  static Memory parseMeminfo(String meminfo) {
    long total = 0;
    long available = -1;
    long free = 0;
    long swapTotal = 0;
    long swapFree = 0;
    for (String line : meminfo.split("\n")) {
      String[] f = line.split(":\\s*|\\s+");
      if (f.length < 2) {
        continue;
      }
      long bytes = Long.parseLong(f[1]) * 1024;
      switch (f[0]) {
        case "MemTotal" -> total = bytes;
        case "MemAvailable" -> available = bytes;
        case "MemFree" -> free = bytes;
        case "SwapTotal" -> swapTotal = bytes;
        case "SwapFree" -> swapFree = bytes;
        default -> {}
      }
    }
    return new Memory(total, available < 0 ? free : available, swapTotal, swapFree);
  }

  static CpuTicks parseStat(String stat) {
    String first = stat.substring(0, stat.indexOf('\n') < 0 ? stat.length() : stat.indexOf('\n'));
    String[] f = first.strip().split("\\s+");
    long total = 0;
    long idle = 0;
    // cpu user nice system idle iowait irq softirq steal guest guest_nice: guest time is
    // already counted in user, so only the first eight add up to the total.
    for (int i = 1; i < Math.min(f.length, 9); i++) {
      long v = Long.parseLong(f[i]);
      total += v;
      if (i == 4 || i == 5) {
        idle += v;
      }
    }
    return new CpuTicks(total - idle, total);
  }

  static OptionalDouble parsePressure(String pressure) {
    for (String line : pressure.split("\n")) {
      if (line.startsWith("some ")) {
        for (String part : line.split("\\s+")) {
          if (part.startsWith("avg60=")) {
            return OptionalDouble.of(Double.parseDouble(part.substring(6)) / 100.0);
          }
        }
      }
    }
    return OptionalDouble.empty();
  }

  static double parsePidCpuSeconds(String stat) {
    // The command name (field 2) is in parentheses and may hold spaces: count from its end.
    String rest = stat.substring(stat.lastIndexOf(')') + 2);
    String[] f = rest.split("\\s+");
    // rest starts at field 3 (state); utime and stime are fields 14 and 15.
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return ticks / TICKS_PER_SECOND;
  }
}
