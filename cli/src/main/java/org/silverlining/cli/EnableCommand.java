package org.silverlining.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code silver enable}: serve a disabled app again. */
@Command(name = "enable", description = "Serve a disabled app again.")
final class EnableCommand implements Callable<Integer> {
  @Mixin AppSelector target;
  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    for (ApiClient api : node.clients()) {
      api.post("enable", target.params());
      System.out.println(node.prefix(api) + "Enabled " + target.describe());
    }
    return 0;
  }
}
