package org.silverlining.cli;

/**
 * The supervisor script {@code ROOT/software/run-node} that keeps a node running where no systemd
 * unit does (a local node, a server without systemd): it starts the node, starts it again 2 s after
 * it exits by itself (a crash, {@code kill -9}), and on SIGTERM stops it, which stops its apps, and
 * exits. Its process id is in {@code ROOT/software/node.pid}; each restart is said in {@code
 * ROOT/logs/node-console.log} with {@link #EXITED}, so that a command waiting for a node that never
 * comes up can tell.
 */
final class NodeRunner {
  /** The start of the console line the supervisor writes when the node exited by itself. */
  static final String EXITED = "silver run-node: the node exited with status ";

  private NodeRunner() {}

  /**
   * The script for the node {@code name} at {@code root} (unquoted), started with the shell command
   * line {@code startCommand}.
   */
  static String script(String name, String root, String startCommand) {
    return "#!/bin/sh\n# Runs the silver node "
        + name
        + " and starts it again when it exits by itself; SIGTERM stops it and its apps.\n"
        + "R="
        + SshTarget.quote(root)
        + "\necho $$ > \"$R/software/node.pid\"\n"
        + "stopping=0\ntrap 'stopping=1; kill -TERM \"$child\" 2>/dev/null' TERM INT HUP\n"
        + "while [ \"$stopping\" = 0 ]; do\n  "
        + startCommand
        + " >> \"$R/logs/node-console.log\" 2>&1 < /dev/null &\n"
        + "  child=$!\n  wait \"$child\"; status=$?\n"
        // A trapped signal interrupts the first wait; the second waits until the node has stopped.
        + "  [ \"$stopping\" = 0 ] || { wait \"$child\"; break; }\n"
        + "  echo \""
        + EXITED
        + "$status; starting it again in 2 s\" >> \"$R/logs/node-console.log\"\n"
        + "  sleep 2\ndone\n"
        + "rm -f \"$R/software/node.pid\"\n";
  }
}
