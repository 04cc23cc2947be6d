package org.silverlining.node.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RoutesTest {
  private static final Endpoint NOTHING = call -> {};

  @Test
  void routesAreListedAsMethodAndFullPathInTheOrderAdded() {
    Routes r =
        new Routes("/api/v1/").get("", NOTHING).post("cron/run", NOTHING).get("cron", NOTHING);

    assertThat(r.list())
        .containsExactly("GET /api/v1/", "POST /api/v1/cron/run", "GET /api/v1/cron");
  }

  @Test
  void aSecondEndpointForTheSameMethodAndPathIsRefused() {
    Routes r = new Routes("/api/v1/").get("logs", NOTHING);

    assertThatThrownBy(() -> r.get("logs", NOTHING))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("two routes for GET /api/v1/logs");
  }

  @Test
  void aCallIsRelativeToThePrefix() {
    assertThatThrownBy(() -> new Routes("/api/v1/").get("/logs", NOTHING))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
