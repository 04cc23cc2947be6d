package org.silverlining.node.logs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccessLogTest {
  @Test
  void valuesGivenToTheManagementApiAreNotLoggedButTheOtherParametersAre() {
    assertThat(AccessLog.withoutValues("/api/v1/global-config?key=K&value=s3cret&secret=true"))
        .isEqualTo("/api/v1/global-config?key=K&value=-&secret=true");
    assertThat(AccessLog.withoutValues("/api/v1/global-config?value=s3cret"))
        .isEqualTo("/api/v1/global-config?value=-");
    assertThat(AccessLog.withoutValues("/shop/?q=1&novalue=2")).isEqualTo("/shop/?q=1&novalue=2");
    assertThat(AccessLog.withoutValues("/plain")).isEqualTo("/plain");
  }
}
