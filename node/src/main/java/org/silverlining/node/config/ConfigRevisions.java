package org.silverlining.node.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.silverlining.node.state.NewerFormatException;

/**
 * The configuration history of one app: every change is a revision (a git commit with who, when and
 * a message) in a bare repository, and the newest revision's files are shown to the app, read-only,
 * in {@link #currentDir()} (its {@code SILVER_APP_CONFIG}).
 *
 * <p>History only grows: {@link #revert} and {@link #delete} add a revision, like {@link #commit}.
 * Revisions are numbered 1, 2, 3… on one branch ({@code main}) of first-parent commits; each
 * commit's message ends with a {@code Silver-Revision: N} line, so numbers stay the same across
 * reopening and whatever git does to the objects. {@link #commit} of a tree equal to the newest one
 * records nothing and returns the newest revision (an upload retried, or sent again with the code,
 * is no change); {@link #revert} and {@link #delete} always record one, as the user asked for a
 * change to be written down.
 *
 * <p>A change is recorded first (the branch moves in one locked ref update) and then shown (see
 * {@link CurrentFolder}: a whole new tree beside the old one, then an atomic link swap). A process
 * killed between the two leaves a recorded revision not yet shown; {@link #open} compares the shown
 * tree with the newest revision by content hash and shows it again when they differ, so after
 * {@code open} the current folder always holds exactly the newest revision. An I/O error while
 * showing (disk full) leaves the same state: the revision is recorded, and shown by the next change
 * or {@code open}.
 *
 * <p>All methods are synchronized. The caller's duty: one instance per app (per repository folder)
 * in the node, closed when the node stops; the node's lock keeps other processes out.
 */
public final class ConfigRevisions implements AutoCloseable {
  /** The most bytes a revision's files may hold in all. */
  public static final long MAX_BYTES = 10L * 1024 * 1024;

  /** The most files a revision may hold. */
  public static final int MAX_FILES = 10_000;

  static final String BRANCH = "refs/heads/main";
  static final String TRAILER = "Silver-Revision";
  private static final int MAX_WHO_LENGTH = 200;
  private static final String UPLOAD_MESSAGE = "Upload the configuration";

  /** The format of a configuration repository, {@code silver.format} in its git config. */
  static final int FORMAT = 1;

  private static final String FORMAT_SECTION = "silver";
  private static final String FORMAT_KEY = "format";

  private final Repository repo;
  private final CurrentFolder current;
  private boolean closed;
  // A revision recorded but not shown (showing it failed); the next call that changes nothing
  // shows it instead.
  private boolean unshown;

  private ConfigRevisions(Repository repo, CurrentFolder current) {
    this.repo = repo;
    this.current = current;
  }

  /**
   * Opens (creating it the first time) the history kept in the bare repository {@code repoDir}, and
   * makes {@code currentDir} show the newest revision — an empty folder while there is none.
   */
  public static ConfigRevisions open(Path repoDir, Path currentDir) throws IOException {
    Repository repo = openRepository(repoDir.toAbsolutePath().normalize());
    try {
      ConfigRevisions revisions = new ConfigRevisions(repo, new CurrentFolder(currentDir));
      revisions.repair();
      return revisions;
    } catch (IOException | RuntimeException e) {
      repo.close();
      throw e;
    }
  }

  /** The folder that shows the newest revision's files: what the app gets as SILVER_APP_CONFIG. */
  public Path currentDir() {
    return current.link();
  }

  /**
   * Records the files of {@code sourceDir} as a new revision and shows it. Returns the newest
   * revision unchanged when its tree already equals {@code sourceDir}'s. A blank message becomes
   * "Upload the configuration".
   *
   * @throws ConfigRejectedException when {@code sourceDir} holds a link out of it or a special
   *     file, or is over {@link #MAX_BYTES} or {@link #MAX_FILES}, or {@code who} is unusable;
   *     nothing is recorded then
   */
  public Revision commit(Path sourceDir, String who, String message)
      throws IOException, ConfigRejectedException {
    checkWho(who);
    List<SourceTree.Entry> files = SourceTree.read(sourceDir, MAX_BYTES, MAX_FILES);
    synchronized (this) {
      checkOpen();
      try (ObjectInserter inserter = repo.newObjectInserter();
          RevWalk walk = new RevWalk(repo)) {
        ObjectId tree = GitTrees.insert(files, inserter);
        inserter.flush();
        RevCommit newest = newest(walk);
        if (newest != null && newest.getTree().equals(tree)) {
          if (unshown) {
            repair();
          }
          return toRevision(newest);
        }
        String text = message == null || message.isBlank() ? UPLOAD_MESSAGE : message;
        return record(tree, who, text, inserter, walk);
      }
    }
  }

  /**
   * Records a new revision whose files are exactly those of revision {@code number}, and shows it.
   */
  public synchronized Revision revert(int number, String who)
      throws IOException, ConfigRejectedException {
    checkWho(who);
    checkOpen();
    try (ObjectInserter inserter = repo.newObjectInserter();
        RevWalk walk = new RevWalk(repo)) {
      RevCommit old = find(walk, number);
      return record(old.getTree(), who, "Revert to revision " + number, inserter, walk);
    }
  }

  /** Records a revision with no files, and shows it (an empty folder). */
  public synchronized Revision delete(String who) throws IOException, ConfigRejectedException {
    checkWho(who);
    checkOpen();
    try (ObjectInserter inserter = repo.newObjectInserter();
        RevWalk walk = new RevWalk(repo)) {
      ObjectId empty = inserter.insert(Constants.OBJ_TREE, new byte[0]);
      inserter.flush();
      return record(empty, who, "Delete the configuration", inserter, walk);
    }
  }

  /** Every revision, newest first. */
  public synchronized List<Revision> revisions() throws IOException {
    checkOpen();
    List<Revision> all = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repo)) {
      for (RevCommit c = newest(walk); c != null; c = parent(walk, c)) {
        all.add(toRevision(c));
      }
    }
    return all;
  }

  /** The newest revision, the one {@link #currentDir()} shows; empty before the first. */
  public synchronized Optional<Revision> current() throws IOException {
    checkOpen();
    try (RevWalk walk = new RevWalk(repo)) {
      RevCommit newest = newest(walk);
      return newest == null ? Optional.empty() : Optional.of(toRevision(newest));
    }
  }

  /**
   * Whether revisions {@code a} and {@code b} hold exactly the same files; revision 0 stands for no
   * configuration (no revision, or an empty one).
   */
  public synchronized boolean sameFiles(int a, int b) throws IOException, ConfigRejectedException {
    checkOpen();
    try (RevWalk walk = new RevWalk(repo);
        ObjectInserter inserter = repo.newObjectInserter()) {
      ObjectId empty = inserter.idFor(Constants.OBJ_TREE, new byte[0]);
      ObjectId ta = a == 0 ? empty : find(walk, a).getTree();
      ObjectId tb = b == 0 ? empty : find(walk, b).getTree();
      return ta.equals(tb);
    }
  }

  /** The files of revision {@code number} with their sizes, in path order. */
  public synchronized List<FileInfo> files(int number) throws IOException, ConfigRejectedException {
    checkOpen();
    List<FileInfo> files = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repo);
        TreeWalk tree = GitTrees.walk(repo, find(walk, number).getTree())) {
      ObjectReader reader = tree.getObjectReader();
      while (tree.next()) {
        long size = reader.getObjectSize(tree.getObjectId(0), Constants.OBJ_BLOB);
        files.add(new FileInfo(tree.getPathString(), size));
      }
    }
    return files;
  }

  /**
   * Writes the files of revision {@code number} into {@code target}, which must not exist or be an
   * empty folder. The copies are ordinary writable files, to be edited and committed again.
   */
  public synchronized void dump(int number, Path target)
      throws IOException, ConfigRejectedException {
    checkOpen();
    if (Files.exists(target) && !isEmptyFolder(target)) {
      throw new ConfigRejectedException(target + " exists and is not an empty folder");
    }
    try (RevWalk walk = new RevWalk(repo)) {
      ObjectId tree = find(walk, number).getTree();
      Files.createDirectories(target);
      GitTrees.write(repo, tree, target.toAbsolutePath().normalize());
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      repo.close();
    }
  }

  // --- recording

  private Revision record(
      ObjectId tree, String who, String message, ObjectInserter inserter, RevWalk walk)
      throws IOException {
    RevCommit newest = newest(walk);
    int number = newest == null ? 1 : number(newest) + 1;
    // Git keeps seconds; the revision returned must equal the one listed later.
    Instant when = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    PersonIdent ident = new PersonIdent(who, "", when, ZoneOffset.UTC);
    CommitBuilder commit = new CommitBuilder();
    commit.setTreeId(tree);
    if (newest != null) {
      commit.setParentId(newest);
    }
    commit.setAuthor(ident);
    commit.setCommitter(ident);
    commit.setMessage(message.strip() + "\n\n" + TRAILER + ": " + number + "\n");
    ObjectId id = inserter.insert(commit);
    inserter.flush();

    RefUpdate update = repo.updateRef(BRANCH);
    update.setNewObjectId(id);
    update.setExpectedOldObjectId(newest == null ? ObjectId.zeroId() : newest);
    update.setRefLogIdent(ident);
    update.setRefLogMessage("revision " + number, false);
    RefUpdate.Result result = update.update(walk);
    if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FAST_FORWARD) {
      throw new IOException("cannot record configuration revision " + number + ": " + result);
    }
    unshown = true;
    current.show(number, dir -> GitTrees.write(repo, tree, dir));
    unshown = false;
    return toRevision(walk.parseCommit(id));
  }

  // --- showing

  /** Shows the newest revision again unless the current folder already holds exactly its files. */
  private void repair() throws IOException {
    current.clean();
    RevCommit newest;
    try (RevWalk walk = new RevWalk(repo)) {
      newest = newest(walk);
    }
    ObjectId tree = newest == null ? GitTrees.EMPTY : newest.getTree();
    Optional<Path> live = current.liveTree();
    if (live.isEmpty() || !tree.equals(GitTrees.idOf(live.get()))) {
      current.show(newest == null ? 0 : number(newest), dir -> GitTrees.write(repo, tree, dir));
    }
    unshown = false;
  }

  // --- reading history

  private RevCommit newest(RevWalk walk) throws IOException {
    Ref ref = repo.exactRef(BRANCH);
    return ref == null ? null : walk.parseCommit(ref.getObjectId());
  }

  private static RevCommit parent(RevWalk walk, RevCommit c) throws IOException {
    return c.getParentCount() == 0 ? null : walk.parseCommit(c.getParent(0));
  }

  private RevCommit find(RevWalk walk, int number) throws IOException, ConfigRejectedException {
    RevCommit c = newest(walk);
    int newestNumber = c == null ? 0 : number(c);
    for (; c != null; c = parent(walk, c)) {
      int n = number(c);
      if (n == number) {
        return c;
      }
      if (n < number) {
        break;
      }
    }
    throw new ConfigRejectedException(
        "there is no configuration revision "
            + number
            + (newestNumber == 0
                ? " (there is none yet)"
                : " (the newest is " + newestNumber + ")"));
  }

  private Revision toRevision(RevCommit c) throws IOException {
    PersonIdent author = c.getAuthorIdent();
    int files = 0;
    try (TreeWalk walk = GitTrees.walk(repo, c.getTree())) {
      while (walk.next()) {
        files++;
      }
    }
    return new Revision(
        number(c), c.name(), author.getName(), author.getWhenAsInstant(), message(c), files);
  }

  static int number(RevCommit c) throws IOException {
    List<String> values = c.getFooterLines(TRAILER);
    try {
      return Integer.parseInt(values.get(values.size() - 1).trim());
    } catch (IndexOutOfBoundsException | NumberFormatException e) {
      throw new IOException(
          "commit " + c.name() + " has no valid " + TRAILER + " line; was the repository edited?");
    }
  }

  private static String message(RevCommit c) {
    String full = c.getFullMessage();
    int trailer = full.lastIndexOf("\n\n" + TRAILER + ":");
    return (trailer >= 0 ? full.substring(0, trailer) : full).strip();
  }

  // --- setup and checks

  private static Repository openRepository(Path dir) throws IOException {
    Files.createDirectories(dir.getParent());
    if (!Files.exists(dir)) {
      // The history may hold API keys: only the node's user may read it.
      try {
        Files.createDirectory(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (UnsupportedOperationException e) {
        Files.createDirectory(dir);
      }
    }
    Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
    if (!repo.getObjectDatabase().exists()) {
      repo.create(true);
      StoredConfig config = repo.getConfig();
      // A revision acknowledged must survive a power cut, not just a killed process.
      config.setBoolean("core", null, "fsyncObjectFiles", true);
      config.save();
      repo.updateRef(Constants.HEAD).link(BRANCH);
    }
    checkFormat(repo, dir);
    return repo;
  }

  /**
   * Refuses a repository a newer silver wrote, and marks one without a format (release 0.1's, the
   * same as format 1) or a new one: {@code silver.format} in the repository's git config.
   */
  private static void checkFormat(Repository repo, Path dir) throws IOException {
    StoredConfig config = repo.getConfig();
    int format = config.getInt(FORMAT_SECTION, null, FORMAT_KEY, 0);
    if (format > FORMAT) {
      repo.close();
      throw new NewerFormatException(dir.toString(), format, FORMAT);
    }
    if (format < FORMAT) {
      config.setInt(FORMAT_SECTION, null, FORMAT_KEY, FORMAT);
      config.save();
    }
  }

  private static void checkWho(String who) throws ConfigRejectedException {
    if (who == null || who.isBlank()) {
      throw new ConfigRejectedException("a configuration change needs the name of who made it");
    }
    if (who.length() > MAX_WHO_LENGTH
        || who.chars().anyMatch(ch -> ch < 0x20 || ch == '<' || ch == '>')) {
      throw new ConfigRejectedException(
          "'"
              + who.replaceAll("\\p{Cntrl}", "?")
              + "' cannot be recorded as the author: at most "
              + MAX_WHO_LENGTH
              + " characters, without control characters, '<' or '>'");
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the configuration revisions are closed");
    }
  }

  private static boolean isEmptyFolder(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      return !s.iterator().hasNext();
    }
  }
}
