package org.silverlining.node.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.silverlining.node.layout.NodeLayout;

/**
 * The configuration histories of a node's apps, one {@link ConfigRevisions} per app, opened on
 * first use and closed with the node: the one owner {@link ConfigRevisions} asks for.
 */
public final class ConfigStores implements AutoCloseable {
  private final NodeLayout layout;
  private final Map<String, ConfigRevisions> open = new HashMap<>();

  public ConfigStores(NodeLayout layout) {
    this.layout = layout;
  }

  /** The history of {@code app}, opened (and created) on first use. */
  public synchronized ConfigRevisions of(String app) throws IOException {
    try {
      return open.computeIfAbsent(
          app,
          a -> {
            try {
              return ConfigRevisions.open(layout.appConfigRepo(a), layout.appConfigCurrent(a));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * Opens the history of each of {@code apps} now, so that one in a format a newer silver wrote is
   * refused when the node starts, not at its first use.
   */
  public void openAll(Iterable<String> apps) throws IOException {
    for (String app : apps) {
      of(app);
    }
  }

  @Override
  public synchronized void close() {
    open.values().forEach(ConfigRevisions::close);
    open.clear();
  }
}
