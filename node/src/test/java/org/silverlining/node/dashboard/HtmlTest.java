package org.silverlining.node.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void textAndAttributeValuesAreEscaped() {
    String h =
        new Html()
            .open("a", "href", "/apps/x\"><script>", "data-app", "a&b")
            .text("<img src=x onerror=alert(1)> 'q'")
            .close()
            .toString();
    assertThat(h)
        .isEqualTo(
            "<a href=\"/apps/x&quot;&gt;&lt;script&gt;\" data-app=\"a&amp;b\">"
                + "&lt;img src=x onerror=alert(1)&gt; &#39;q&#39;</a>");
  }

  @Test
  void aNullAttributeIsLeftOutAndABooleanOneWrittenBare() {
    assertThat(new Html().empty("input", "required", "required", "title", null).toString())
        .isEqualTo("<input required>");
  }

  @Test
  void anElementLeftOpenIsAMistakeCaught() {
    Html h = new Html().open("main");
    assertThatThrownBy(h::toString).hasMessageContaining("main");
  }
}
