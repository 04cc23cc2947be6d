package org.silverlining.node.dashboard;

import java.util.List;

/**
 * What a page view returns: its title (the {@code <title>} and the {@code <h1>}), the content of
 * its {@code <main>}, and the scripts it needs beyond the dashboard's own (paths of assets).
 */
public record Page(String title, Html main, List<String> scripts) {
  public Page(String title, Html main) {
    this(title, main, List.of());
  }

  /** This page with {@code script} (an asset's path, {@code /static/NAME}) loaded too. */
  public Page withScript(String script) {
    List<String> all = new java.util.ArrayList<>(scripts);
    all.add(script);
    return new Page(title, main, List.copyOf(all));
  }
}
