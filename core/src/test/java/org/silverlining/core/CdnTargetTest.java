package org.silverlining.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CdnTargetTest {
  @ParameterizedTest
  @CsvSource({
    "s3://my-static,my-static,''",
    "s3://my-static/,my-static,''",
    "s3://my-static/site,my-static,site",
    "' s3://my-static//site/v1/ ',my-static,site/v1",
    "s3://a.b-c/x_y.z,a.b-c,x_y.z"
  })
  void readsTheBucketAndThePrefixWithoutOuterSlashes(String text, String bucket, String prefix) {
    CdnTarget t = CdnTarget.parse(text);

    assertThat(t.bucket()).isEqualTo(bucket);
    assertThat(t.prefix()).isEqualTo(prefix);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "my-static/site",
        "https://s3.example.com/my-static",
        "s3://",
        "s3:///site",
        "s3://ab",
        "s3://My-Static",
        "s3://a..b",
        "s3://my-static/a//b",
        "s3://my-static/a b",
        "s3://my-static/%41"
      })
  void refusesWhatIsNotAnS3LocationShowingTheRightForm(String text) {
    assertThatThrownBy(() -> CdnTarget.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not an S3 location")
        .hasMessageContaining("s3://BUCKET/PREFIX");
  }

  @ParameterizedTest
  @CsvSource({"s3://b1b/site,s3://b1b/site,site/x.css", "s3://b1b,s3://b1b,x.css"})
  void placesKeysBelowThePrefix(String text, String shown, String key) {
    CdnTarget t = CdnTarget.parse(text);

    assertThat(t).hasToString(shown);
    assertThat(t.key("x.css")).isEqualTo(key);
  }
}
