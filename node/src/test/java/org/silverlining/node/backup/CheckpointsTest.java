package org.silverlining.node.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.service.FilesService;
import org.silverlining.node.service.Services;

/** Checkpoints of a files service: taken whole or not at all, listed newest first, restored. */
class CheckpointsTest {
  @TempDir Path tmp;
  private NodeLayout layout;
  private Checkpoints checkpoints;
  private List<Services.Bound> app;
  private Path files;

  @BeforeEach
  void setUp() throws Exception {
    layout = new NodeLayout(tmp.resolve("node"));
    checkpoints = new Checkpoints(layout);
    FilesService service = new FilesService();
    Services.Bound b =
        new Services.Bound(service, LiveServers.scope("blog", "files", layout.appDir("blog")));
    service.provision(b.scope());
    app = List.of(b);
    files = Path.of(service.environment(b.scope()).get("CONFIG_FILES"));
  }

  @Test
  void restoresTheDataAsItWasWhenTaken() throws Exception {
    Files.writeString(files.resolve("a.txt"), "before");
    Checkpoints.Checkpoint c =
        checkpoints.take("blog", app, "before update to blog.1", Map.of("instance", "blog.1"));
    Files.writeString(files.resolve("a.txt"), "after");
    Files.writeString(files.resolve("b.txt"), "new");

    checkpoints.restore(c, app);

    assertThat(Files.readString(files.resolve("a.txt"))).isEqualTo("before");
    assertThat(files.resolve("b.txt")).doesNotExist();
    assertThat(c.reason()).isEqualTo("before update to blog.1");
    assertThat(c.manifest().facts()).containsEntry("instance", "blog.1");
  }

  @Test
  void listsNewestFirstAndPrunesTheOldest() throws Exception {
    Checkpoints.Checkpoint first = checkpoints.take("blog", app, "one", Map.of());
    Checkpoints.Checkpoint second = checkpoints.take("blog", app, "two", Map.of());
    Checkpoints.Checkpoint third = checkpoints.take("blog", app, "three", Map.of());

    assertThat(checkpoints.list("blog"))
        .extracting(Checkpoints.Checkpoint::reason)
        .containsExactly("three", "two", "one");
    assertThat(checkpoints.prune("blog", 2))
        .extracting(Checkpoints.Checkpoint::id)
        .containsExactly(first.id());
    assertThat(checkpoints.list("blog"))
        .extracting(Checkpoints.Checkpoint::id)
        .containsExactly(third.id(), second.id());
    assertThat(checkpoints.find("blog", second.id())).isPresent();
    assertThat(checkpoints.find("blog", first.id())).isEmpty();
  }

  @Test
  void anInterruptedCheckpointIsNeverListedAndIsCleanedUp() throws Exception {
    Path partial = layout.appCheckpoints("blog").resolve(".partial-20260101-000000");
    Files.createDirectories(partial);
    Files.writeString(partial.resolve("manifest.json"), "{");

    assertThat(checkpoints.list("blog")).isEmpty();
    assertThat(partial).doesNotExist();
  }

  @Test
  void anAppWithoutCheckpointsHasNone() throws Exception {
    assertThat(checkpoints.list("other")).isEmpty();
  }
}
