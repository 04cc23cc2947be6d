package org.silverlining.node.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The two Jackson mappers of the APIs. Answers are written by {@link #ANSWERS}: records name their
 * JSON fields themselves ({@code @JsonNaming(SnakeCaseStrategy)} or {@code @JsonProperty}), so a
 * record that already went out in camelCase keeps its shape. Parameters are read by {@link
 * #PARAMETERS}: {@code with_config} fills the component {@code withConfig}, and a parameter no
 * component takes is refused.
 */
public final class ApiJson {
  /** Writes answers. */
  public static final ObjectMapper ANSWERS = new ObjectMapper();

  /** Reads query parameters into records; strict about names. */
  static final ObjectMapper PARAMETERS =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private ApiJson() {}
}
