package org.silverlining.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code silver disable}: answer an app's visitors with a maintenance page. */
@Command(
    name = "disable",
    description = {
      "Answer the app's visitors with a 503 maintenance page (Cache-Control: no-store).",
      "Its processes keep running, and the node's own requests (update_fetch) still reach it."
    })
final class DisableCommand implements Callable<Integer> {
  @Mixin AppSelector target;
  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    for (ApiClient api : node.clients()) {
      api.post("disable", target.params());
      System.out.println(
          node.prefix(api) + "Disabled " + target.describe() + "; enable it with silver enable");
    }
    return 0;
  }
}
