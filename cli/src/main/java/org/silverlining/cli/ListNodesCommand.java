package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.silverlining.node.NodeSettings;
import org.silverlining.node.layout.NodeLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code silver list-nodes}: every node this CLI knows, asked at once whether it is up. */
@Command(
    name = "list-nodes",
    description = {
      "List the nodes this CLI knows: name, provider, front address, software version, up or down, apps.",
      "A version marked (other build) runs software other than this CLI's: run setup-node on it (or answer u to update's question)."
    })
final class ListNodesCommand implements Callable<Integer> {
  @Mixin JsonOption json = new JsonOption();

  @Override
  public Integer call() throws Exception {
    NodeRegistry registry = NodeRegistry.forUser();
    List<String> names = registry.names();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(names.size(), 16)));
    List<Future<ObjectNode>> asked = new ArrayList<>();
    try {
      for (String name : names) {
        asked.add(pool.submit(() -> describe(registry, name)));
      }
      ArrayNode nodes = MAPPER.createArrayNode();
      for (Future<ObjectNode> f : asked) {
        nodes.add(f.get());
      }
      ObjectNode answer = MAPPER.createObjectNode();
      answer.set("nodes", nodes);
      if (json.printed(answer)) {
        return 0;
      }
      if (nodes.isEmpty()) {
        System.out.println(
            "No node is registered; create one with: silver create-node NAME --provider local --root DIR");
        return 0;
      }
      Table table = new Table("NAME", "PROVIDER", "ADDRESS", "VERSION", "STATE", "APPS");
      for (JsonNode n : nodes) {
        List<String> apps = new ArrayList<>();
        n.path("apps").forEach(a -> apps.add(a.asText()));
        table.row(
            n.path("name").asText(),
            n.path("provider").asText(),
            n.path("address").asText("-"),
            n.path("version").isNull()
                ? "-"
                : n.path("version").asText()
                    + (n.path("same_software").asBoolean(true) ? "" : " (other build)"),
            n.path("up").asBoolean() ? "up" : "down",
            n.path("up").asBoolean()
                ? (apps.isEmpty() ? "-" : String.join(", ", apps))
                : n.path("error").asText(""));
      }
      table.print(System.out);
      return 0;
    } finally {
      pool.shutdownNow();
    }
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One node's line: what the registry says, and what the node answers when it is up. */
  static ObjectNode describe(NodeRegistry registry, String name) throws IOException {
    NodeRegistry.NodeRef ref = registry.resolve(name);
    Map<String, String> entry = registry.entry(name);
    ObjectNode n = MAPPER.createObjectNode();
    n.put("name", name);
    n.put("provider", provider(entry));
    n.put("address", frontAddress(ref, entry));
    n.put("admin", ref.adminUrl());
    n.put("host", entry.get("host"));
    n.put("root", entry.getOrDefault("root", entry.get("remote_root")));
    n.putNull("version");
    n.putNull("software");
    n.putNull("same_software");
    n.put("up", false);
    n.putNull("error");
    n.putArray("apps");
    try {
      ApiClient api = new ApiClient(ref);
      JsonNode me = api.get("", Map.of());
      n.put("up", true);
      n.put("version", me.path("version").asText());
      n.put("software", me.path("software").asText());
      n.put(
          "same_software",
          !SoftwareCheck.differs(me.path("software").asText(""), SoftwareCheck.mine()));
      ArrayNode apps = n.putArray("apps");
      api.get("apps", Map.of()).path("apps").forEach(a -> apps.add(a.path("name").asText()));
    } catch (IOException | UserException e) {
      n.put("error", e.getMessage());
    }
    return n;
  }

  /** local, ssh, or local for a node registered by {@code silver node init} (it has a root). */
  static String provider(Map<String, String> entry) {
    return entry.getOrDefault("provider", entry.containsKey("root") ? "local" : "-");
  }

  private static String frontAddress(NodeRegistry.NodeRef ref, Map<String, String> entry) {
    if (ref.root() != null) {
      Path ini = new NodeLayout(ref.root()).nodeIni();
      if (Files.isRegularFile(ini)) {
        try {
          return NodeSettings.load(ini).http().toString();
        } catch (IOException | RuntimeException e) {
          return null;
        }
      }
    }
    // A server's front on every address is reached at the server's own name.
    String http = entry.get("http");
    String server = entry.getOrDefault("host", "").replaceFirst("^.*@", "");
    return http != null && http.startsWith("0.0.0.0:") && !server.isEmpty()
        ? server + http.substring("0.0.0.0".length())
        : http;
  }
}
