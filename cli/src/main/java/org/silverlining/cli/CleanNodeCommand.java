package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code silver clean-node NAME}: removes the instances and databases no location uses. */
@Command(
    name = "clean-node",
    description = {
      "Remove what no location of the node uses, after listing it and asking: instances that are neither live nor previous anywhere, and the services (databases, files) of apps no location serves, whose data is deleted.",
      "Live and previous instances, running ones, and apps being deployed are never touched."
    })
final class CleanNodeCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAME", description = "The node.")
  String name;

  @Mixin ConfirmOption confirm = new ConfirmOption();

  @Override
  public Integer call() throws Exception {
    ApiClient api = new ApiClient(NodeRegistry.forUser().resolve(name));
    JsonNode unused = api.get("clean", Map.of());
    int instances = unused.path("instances").size();
    int services = unused.path("services").size();
    if (instances == 0 && services == 0) {
      System.out.println(
          "Nothing to clean on the node " + name + ": every instance and service is used.");
      return 0;
    }
    print(unused);
    if (!confirm.confirmed(
        "Remove "
            + instances
            + " instance(s)"
            + (services == 0 ? "" : " and drop " + services + " service(s) with their data")
            + " on the node "
            + name
            + "?")) {
      return 1;
    }
    JsonNode removed = api.post("clean", Map.of());
    System.out.println(
        "Removed "
            + removed.path("instances").size()
            + " instance(s) and dropped "
            + removed.path("services").size()
            + " service(s) on the node "
            + name
            + ".");
    return 0;
  }

  private static void print(JsonNode unused) {
    if (!unused.path("instances").isEmpty()) {
      System.out.println("Instances no location uses (neither live nor previous):");
      Table t = new Table("APP", "INSTANCE", "CREATED");
      unused
          .path("instances")
          .forEach(
              i ->
                  t.row(
                      i.path("app").asText(),
                      i.path("instance").asText(),
                      i.path("created").asText()));
      t.print(System.out);
    }
    if (!unused.path("services").isEmpty()) {
      System.out.println("Services of apps no location serves (dropping one deletes its data):");
      Table t = new Table("APP", "SERVICE", "KIND");
      unused
          .path("services")
          .forEach(
              s ->
                  t.row(
                      s.path("app").asText(),
                      s.path("alias").asText(),
                      s.path("service").asText()));
      t.print(System.out);
    }
  }
}
