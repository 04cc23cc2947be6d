package org.silverlining.node.front;

import java.util.concurrent.CompletableFuture;

/** Where the front gets live instances from: the node, which may have to start one first. */
public interface InstanceSource {
  /** The live instance {@code name}; completes when it can take requests, or fails. */
  CompletableFuture<LiveInstance> live(String name);

  /** True when {@code name} is running (or starting) now. */
  boolean isRunning(String name);
}
