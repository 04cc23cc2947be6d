package org.silverlining.node.middleware;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A pack applied to a location: which one, its version, and its settings as stored. */
public record AppliedPack(String name, String version, Map<String, String> settings) {
  public AppliedPack {
    settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
  }
}
