package org.silverlining.node.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.silverlining.node.layout.NodeLayout;

/**
 * The backups of apps' data kept on this node, as users list and name them: checkpoints (taken
 * before an update or a restore) and scheduled backups, each kind in its own folder.
 */
public final class BackupCatalog {
  private final Checkpoints checkpoints;
  private final Checkpoints scheduled;

  public BackupCatalog(NodeLayout layout) {
    this.checkpoints = new Checkpoints(layout);
    this.scheduled = Checkpoints.scheduled(layout);
  }

  public Checkpoints checkpoints() {
    return checkpoints;
  }

  public Checkpoints scheduled() {
    return scheduled;
  }

  /** The checkpoint, or else the scheduled backup, of {@code app} with id {@code id}. */
  public Optional<Checkpoints.Checkpoint> find(String app, String id) throws IOException {
    Optional<Checkpoints.Checkpoint> c = checkpoints.find(app, id);
    return c.isPresent() ? c : scheduled.find(app, id);
  }

  /** Checkpoints and scheduled backups of {@code app}, newest first, as the API shows them. */
  public List<Map<String, Object>> list(String app) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Checkpoints.Checkpoint c : checkpoints.list(app)) {
      out.add(describe("checkpoint", c));
    }
    for (Checkpoints.Checkpoint c : scheduled.list(app)) {
      out.add(describe("scheduled", c));
    }
    out.sort(
        (a, b) -> String.valueOf(b.get("created")).compareTo(String.valueOf(a.get("created"))));
    return out;
  }

  private static Map<String, Object> describe(String kind, Checkpoints.Checkpoint c)
      throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", c.id());
    m.put("kind", kind);
    m.put("created", c.manifest().facts().getOrDefault("created", ""));
    m.put("reason", c.reason());
    m.put("services", List.copyOf(c.manifest().services().keySet()));
    m.put("bytes", sizeOf(c.dir()));
    return m;
  }

  private static long sizeOf(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
