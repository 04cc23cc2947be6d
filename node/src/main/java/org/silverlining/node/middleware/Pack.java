package org.silverlining.node.middleware;

import java.util.List;
import java.util.Map;

/**
 * A kind of middleware that can be applied to a location: built in, or a third-party program. Its
 * settings are checked once, when it is applied ({@link #prepare}), and stored as {@code prepare}
 * returns them (secrets hashed); {@link #build} makes middleware from stored settings, at apply and
 * again when the node starts.
 */
public interface Pack {
  /** Its name, version, description and settings. */
  PackInfo info();

  /**
   * The settings to store for {@code given}, which are all settings {@link #info} lists: the pack's
   * own checks, after {@link #prepare} refused unknown keys.
   *
   * @throws org.silverlining.node.errors.InvalidParameterException naming the setting that is
   *     missing or not valid
   */
  Map<String, String> store(Map<String, String> given);

  /** Middleware that applies {@code stored} settings (as {@link #store} returned them). */
  Middleware build(Map<String, String> stored);

  /**
   * The settings to store for {@code given}, which the user typed.
   *
   * @throws org.silverlining.node.errors.InvalidParameterException naming the setting that is
   *     unknown, missing or not valid
   */
  default Map<String, String> prepare(Map<String, String> given) {
    PackSettings.checkKnown(this, given);
    return store(given);
  }

  default String name() {
    return info().name();
  }

  default String version() {
    return info().version();
  }

  default List<Setting> settings() {
    return info().settings();
  }
}
