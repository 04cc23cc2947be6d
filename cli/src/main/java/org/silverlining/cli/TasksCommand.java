package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silver tasks LOCATION [NODESET] [--retry ID | --purge QUEUE]}: the app's task queues. */
@Command(
    name = "tasks",
    description = {
      "List the task queues of the app at LOCATION with counts by state and recent failures; --retry a dead task or --purge a queue.",
      "With a nodeset file, its first app server that is up answers: with the nodeset's redis line, for every app server's tasks."
    })
final class TasksCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "LOCATION")
  String location;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "NODESET",
      description = "A nodeset file (NAME.nodeset), as --node takes it.")
  String nodeset;

  @Option(names = "--retry", paramLabel = "ID", description = "Queue this dead task again, now.")
  Long retry;

  @Option(
      names = "--purge",
      paramLabel = "QUEUE",
      description = "Drop the queued and dead tasks of this queue.")
  String purge;

  @Mixin JsonOption output;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    node.nodesetArgument(nodeset);
    ApiClient api = node.client();
    if (retry != null && purge != null) {
      throw new UserException("give --retry or --purge, not both", 1);
    }
    if (retry != null || purge != null) {
      JsonNode r =
          retry != null
              ? api.post("tasks/retry", Map.of("location", location, "id", retry.toString()))
              : api.post("tasks/purge", Map.of("location", location, "queue", purge));
      if (output.printed(r)) {
        return 0;
      } else if (retry != null) {
        System.out.println("task " + retry + " is queued again");
      } else {
        System.out.println("purged " + r.path("purged").asInt() + " task(s) from " + purge);
      }
      return 0;
    }
    JsonNode q = api.get("tasks", Map.of("location", location));
    if (output.printed(q)) {
      return 0;
    }
    Table queues = new Table("QUEUE", "RATE/S", ">QUEUED", ">RUNNING", ">DONE", ">DEAD");
    for (JsonNode each : q.path("queues")) {
      JsonNode c = each.path("counts");
      queues.row(
          each.path("queue").asText() + (each.path("declared").asBoolean() ? "" : " *"),
          each.path("rate").asDouble() == 0 ? "paused" : fmt(each.path("rate").asDouble()),
          c.path("queued").asInt(),
          c.path("running").asInt(),
          c.path("done").asInt(),
          c.path("dead").asInt());
    }
    queues.print(System.out);
    if (!q.path("failures").isEmpty()) {
      System.out.printf("%nRECENT FAILURES%n");
      Table failures = new Table("ID", "QUEUE", "NAME", "STATE", ">RETRIES", "LAST RESULT");
      for (JsonNode f : q.path("failures")) {
        failures.row(
            f.path("id").asLong(),
            f.path("queue").asText(),
            f.path("name").asText(),
            f.path("state").asText(),
            f.path("retries").asInt(),
            f.path("last_result").asText(""));
      }
      failures.print(System.out);
    }
    return 0;
  }

  private static String fmt(double rate) {
    return rate == Math.rint(rate) ? Long.toString((long) rate) : String.format("%.3f", rate);
  }
}
