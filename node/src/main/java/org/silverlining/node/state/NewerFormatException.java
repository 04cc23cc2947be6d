package org.silverlining.node.state;

/**
 * A store the node keeps (its {@code state.db}, a configuration repository, a key ring, a task
 * store) is in a format newer than this node knows: a newer silver wrote it, and this one would
 * misread it or lose what the newer one added. The node refuses to start; the message names both
 * versions and what to do.
 */
public final class NewerFormatException extends IllegalStateException {
  private final int found;
  private final int known;

  /**
   * @param what the store, named as the user sees it (a path)
   * @param found the format version the store says it is in
   * @param known the newest format version this node knows
   */
  public NewerFormatException(String what, int found, int known) {
    super(
        what
            + " is in format version "
            + found
            + ", newer than this silver knows (up to "
            + known
            + "): a newer silver wrote it. Run that newer silver on this node root, or put back"
            + " the copy an upgrade kept beside it (a file named like it with .before-"
            + known
            + " or lower appended, where there is one)");
    this.found = found;
    this.known = known;
  }

  /** Refuses {@code found} when it is above {@code known}. */
  public static void check(String what, int found, int known) {
    if (found > known) {
      throw new NewerFormatException(what, found, known);
    }
  }

  public int found() {
    return found;
  }

  public int known() {
    return known;
  }
}
