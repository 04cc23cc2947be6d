package org.silverlining.cli.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The servers of a nodeset on one machine, for the tests that need several real nodes: each starts
 * on a loopback address of its own in the test's temporary folder, all are registered in one CLI
 * registry there, and every one started is closed (with its apps) after the test.
 */
abstract class NodesetFixture {
  @TempDir Path dir;
  private final List<TestNode> nodes = new ArrayList<>();

  @AfterEach
  void stopNodes() throws Exception {
    for (TestNode n : nodes) {
      n.close();
    }
  }

  /** Creates and starts the node {@code name} on {@code address} (127.0.0.x). */
  TestNode node(String name, String address) throws Exception {
    TestNode n = TestNode.start(dir, dir.resolve("home"), name, address);
    nodes.add(n);
    return n;
  }
}
