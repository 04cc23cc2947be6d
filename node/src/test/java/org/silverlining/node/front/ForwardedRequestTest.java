package org.silverlining.node.front;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ForwardedRequestTest {
  @Test
  void theAppSeesThePathBelowThePrefixAndTheRootForThePrefixAlone() {
    assertThat(ForwardedRequest.appPath("/blog/post/1", "/blog")).isEqualTo("/post/1");
    assertThat(ForwardedRequest.appPath("/blog", "/blog")).isEqualTo("/");
    assertThat(ForwardedRequest.appPath("/post", "")).isEqualTo("/post");
    assertThat(ForwardedRequest.appPath(null, "")).isEqualTo("/");
    assertThat(ForwardedRequest.appPath("/other", "/blog")).isEqualTo("/other");
  }
}
