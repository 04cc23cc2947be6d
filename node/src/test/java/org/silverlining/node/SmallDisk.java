package org.silverlining.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * A real full disk for a test: a tmpfs of a few KiB mounted on a folder, hiding what the folder
 * held until it is closed. Mounting needs root, as in CI; elsewhere the test is skipped, saying so.
 */
public final class SmallDisk implements AutoCloseable {
  private final Path dir;

  private SmallDisk(Path dir) {
    this.dir = dir;
  }

  /** Mounts a tmpfs of {@code size} (as {@code mount -o size=} takes it: 8k) on {@code dir}. */
  public static SmallDisk on(Path dir, String size) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Process mount =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (mount.waitFor() != 0) {
      Assumptions.abort("cannot mount a small tmpfs here (needs root): " + output.strip());
    }
    return new SmallDisk(dir);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    Process umount = new ProcessBuilder("umount", dir.toString()).inheritIO().start();
    if (umount.waitFor() != 0) {
      throw new IOException("cannot unmount the tmpfs on " + dir);
    }
  }
}
