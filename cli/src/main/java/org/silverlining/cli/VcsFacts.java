package org.silverlining.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The version control facts of an app's folder, sent with {@code silver update} to the deployment
 * registry: which system ({@code git} or {@code hg}), the commit, the branch, and whether the
 * folder has uncommitted changes. Read on the developer's machine, before packing, with the VCS's
 * own commands (the upload leaves {@code .git} and {@code .hg} out). Nothing when the folder is not
 * in a repository or the tool is not installed.
 */
final class VcsFacts {
  private static final long TIMEOUT_SECONDS = 10;

  private VcsFacts() {}

  static List<String> gitCommit(Path dir) {
    return List.of("git", "-C", dir.toString(), "rev-parse", "HEAD");
  }

  static List<String> gitBranch(Path dir) {
    return List.of("git", "-C", dir.toString(), "rev-parse", "--abbrev-ref", "HEAD");
  }

  /** Uncommitted changes under {@code dir} only: the app may be one folder of a larger repo. */
  static List<String> gitStatus(Path dir) {
    return List.of("git", "-C", dir.toString(), "status", "--porcelain", "--", ".");
  }

  /** {@code hg id -i}: the commit, with {@code +} when there are uncommitted changes. */
  static List<String> hgId(Path dir) {
    return List.of("hg", "--cwd", dir.toString(), "id", "-i");
  }

  static List<String> hgBranch(Path dir) {
    return List.of("hg", "--cwd", dir.toString(), "branch");
  }

  /** The facts of {@code appDir}; empty when there are none. */
  static Map<String, Object> of(Path appDir) {
    Path dir = appDir.toAbsolutePath().normalize();
    Map<String, Object> m = new LinkedHashMap<>();
    if (inside(dir, ".git")) {
      String commit = run(gitCommit(dir));
      if (commit != null && !commit.isEmpty()) {
        m.put("kind", "git");
        m.put("commit", commit);
        String branch = run(gitBranch(dir));
        m.put("branch", branch == null || branch.equals("HEAD") ? "" : branch);
        String status = run(gitStatus(dir));
        m.put("dirty", status != null && !status.isEmpty());
      }
    } else if (inside(dir, ".hg")) {
      String id = run(hgId(dir));
      if (id != null && !id.isEmpty()) {
        m.put("kind", "hg");
        m.put("commit", id.replace("+", ""));
        String branch = run(hgBranch(dir));
        m.put("branch", branch == null ? "" : branch);
        m.put("dirty", id.endsWith("+"));
      }
    }
    return m;
  }

  /** True when {@code dir} or a folder above it holds {@code marker}. */
  private static boolean inside(Path dir, String marker) {
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.exists(p.resolve(marker))) {
        return true;
      }
    }
    return false;
  }

  /** The command's output, stripped; null when it cannot run or fails. */
  private static String run(List<String> command) {
    try {
      Process p =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8).strip() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
