package org.silverlining.node.monitor;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives memory back after a burst of traffic. The front's direct buffers that leave its pool are
 * freed only when a collection finds them, and a small, rarely collected heap keeps tens of MB of
 * them; the C heap they lived in then stays with the process until it is trimmed. So once traffic
 * has stopped (direct memory unchanged since the last look) with direct memory past a threshold,
 * collect once and trim the C heap. Under traffic it waits: a full collection then would pause
 * requests and find the buffers still in use.
 */
final class MemoryTrim {
  private static final Logger log = LoggerFactory.getLogger(MemoryTrim.class);

  /** Direct memory above this (pooled and awaiting collection together) is worth a collection. */
  static final long DIRECT_THRESHOLD = 16L << 20;

  private final BufferPoolMXBean direct =
      ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
          .filter(b -> b.getName().equals("direct"))
          .findFirst()
          .orElseThrow();
  private boolean canTrim = true;
  private long previous = -1;
  private long afterTrim = -1;

  /** Called every few seconds: collects and trims when it is time; returns whether it did. */
  boolean run() {
    long used = direct.getMemoryUsed();
    boolean quiet = used == previous;
    previous = used;
    if (used < DIRECT_THRESHOLD || !quiet || used == afterTrim) {
      return false;
    }
    System.gc(); // the only way to free unreachable direct buffers
    trimNativeHeap();
    afterTrim = previous = direct.getMemoryUsed();
    log.debug("memory trim: direct {} KB -> {} KB", used >> 10, afterTrim >> 10);
    return true;
  }

  /** The JVM's own malloc_trim (jcmd System.trim_native_heap), where this JVM has it. */
  private void trimNativeHeap() {
    if (!canTrim) {
      return;
    }
    try {
      ManagementFactory.getPlatformMBeanServer()
          .invoke(
              new ObjectName("com.sun.management:type=DiagnosticCommand"),
              "systemTrimNativeHeap",
              new Object[] {null},
              new String[] {String[].class.getName()});
    } catch (JMException | RuntimeException e) {
      canTrim = false; // an older JVM or another C library: the collection alone still helps
      log.debug("no native heap trim on this JVM: {}", e.toString());
    }
  }
}
