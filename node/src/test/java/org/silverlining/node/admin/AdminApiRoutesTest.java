package org.silverlining.node.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/api.md} is the contract of the management API: it lists every route the node serves
 * and no other. Paths are relative to the module's folder, where Maven runs the tests.
 */
class AdminApiRoutesTest {
  private static final Path CONTRACT = Path.of("../docs/api.md");
  private static final Pattern ROUTE =
      Pattern.compile("^\\| `(GET|POST|PUT|DELETE) (/api/v1/\\S*)`");

  private static List<String> served() {
    ManagementAreas parts =
        new ManagementAreas(
            null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null);
    return new AdminApi(null, null, parts.areas(), null).routes();
  }

  private static Set<String> documented() throws Exception {
    Set<String> routes = new LinkedHashSet<>();
    for (String line : Files.readAllLines(CONTRACT)) {
      Matcher m = ROUTE.matcher(line);
      if (m.find()) {
        routes.add(m.group(1) + " " + m.group(2));
      }
    }
    return routes;
  }

  @Test
  void theContractListsEveryRouteTheNodeServesAndNoOther() throws Exception {
    assertThat(documented()).containsExactlyInAnyOrderElementsOf(served());
  }

  @Test
  void theNodeServesTheCallsTheCliMakes() {
    assertThat(served())
        .contains(
            "GET /api/v1/",
            "GET /api/v1/apps",
            "POST /api/v1/deploy",
            "POST /api/v1/deploy/go",
            "POST /api/v1/deploy/abandon",
            "GET /api/v1/logs",
            "POST /api/v1/config/apply",
            "GET /api/v1/backup",
            "POST /api/v1/restore",
            "GET /api/v1/certs",
            "POST /api/v1/certs/add",
            "POST /api/v1/certs/remove",
            "POST /api/v1/middleware/apply",
            "GET /api/v1/clean",
            "POST /api/v1/clean",
            "GET /api/v1/admin-users",
            "POST /api/v1/admin-users/add",
            "POST /api/v1/admin-users/remove",
            "GET /api/v1/secret/ring",
            "POST /api/v1/secret/adopt",
            "POST /api/v1/nodeset/join",
            "POST /api/v1/services/provide",
            "POST /api/v1/services/shared",
            "POST /api/v1/services/replication",
            "POST /api/v1/services/shared/forget",
            "POST /api/v1/services/checkpoint",
            "POST /api/v1/services/checkpoint/restore",
            "GET /api/v1/services/checkpoint",
            "GET /api/v1/services/backup")
        .hasSize(71);
  }
}
