package org.silverlining.node.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.eclipse.jetty.util.Fields;
import org.junit.jupiter.api.Test;
import org.silverlining.node.errors.InvalidParameterException;

/** Reading query parameters into records. */
class ApiCallTest {
  record Sample(String location, boolean withConfig, Integer limit) {
    Sample {
      Params.required("location", location);
    }
  }

  private static Fields query(String... pairs) {
    Fields f = new Fields();
    for (int i = 0; i < pairs.length; i += 2) {
      f.add(pairs[i], pairs[i + 1]);
    }
    return f;
  }

  @Test
  void snakeCaseParametersFillCamelCaseComponents() throws Exception {
    Sample s =
        ApiCall.read(
            query("location", "a.test", "with_config", "true", "limit", "7"), Sample.class);

    assertThat(s).isEqualTo(new Sample("a.test", true, 7));
  }

  @Test
  void absentOrEmptyParametersAreNullOrFalse() throws Exception {
    assertThat(ApiCall.read(query("location", "a.test"), Sample.class))
        .isEqualTo(new Sample("a.test", false, null));
    assertThat(
            ApiCall.read(query("location", "a.test", "with_config", "", "limit", ""), Sample.class))
        .isEqualTo(new Sample("a.test", false, null));
  }

  @Test
  void aMissingRequiredParameterIsNamed() {
    InvalidParameterException e =
        catchThrowableOfType(
            InvalidParameterException.class, () -> ApiCall.read(query(), Sample.class));

    assertThat(e.parameter()).isEqualTo("location");
    assertThat(e).hasMessage("the parameter 'location' is required");
  }

  @Test
  void aValueOfTheWrongTypeIsNamedWithWhatItShouldBe() {
    InvalidParameterException e =
        catchThrowableOfType(
            InvalidParameterException.class,
            () -> ApiCall.read(query("location", "a", "with_config", "yes"), Sample.class));

    assertThat(e.parameter()).isEqualTo("with_config");
    assertThat(e).hasMessage("the parameter 'with_config' is true or false, not 'yes'");
  }

  @Test
  void anUnknownParameterIsNamedWithTheOnesTheCallTakes() {
    InvalidParameterException e =
        catchThrowableOfType(
            InvalidParameterException.class,
            () -> ApiCall.read(query("location", "a", "limt", "3"), Sample.class));

    assertThat(e.parameter()).isEqualTo("limt");
    assertThat(e)
        .hasMessage("unknown parameter 'limt'; this call takes [limit, location, with_config]");
  }
}
