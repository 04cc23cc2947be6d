package org.silverlining.node.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryTrimTest {
  private final BufferPoolMXBean direct =
      ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
          .filter(b -> b.getName().equals("direct"))
          .findFirst()
          .orElseThrow();

  @Test
  void unreachableDirectBuffersAreFreedOnceTrafficHasStoppedAndNotWhileItChanges()
      throws InterruptedException {
    MemoryTrim trim = new MemoryTrim();
    List<ByteBuffer> burst = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      burst.add(ByteBuffer.allocateDirect(1 << 20));
    }
    assertThat(trim.run()).as("the first look has nothing to compare with").isFalse();
    burst.add(ByteBuffer.allocateDirect(1 << 20));
    assertThat(trim.run()).as("direct memory still changing: traffic").isFalse();
    long held = direct.getMemoryUsed();
    burst.clear(); // the burst is over; its buffers wait for a collection

    assertThat(trim.run()).as("unchanged since the last look: quiet").isTrue();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (direct.getMemoryUsed() > held - (32L << 20) && System.nanoTime() < deadline) {
      Thread.sleep(20); // the buffers' cleaners run on their own thread after the collection
    }
    assertThat(direct.getMemoryUsed()).isLessThanOrEqualTo(held - (32L << 20));
    trim.run();
    assertThat(trim.run()).as("nothing new since the trim").isFalse();
  }
}
