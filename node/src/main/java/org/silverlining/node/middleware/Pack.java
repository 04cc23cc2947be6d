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
  String name();

  String version();

  /** One line: what it does. */
  String description();

  /** The settings it takes. */
  List<Setting> settings();

  /**
   * The settings to store for {@code given}, which the user typed.
   *
   * @throws org.silverlining.node.errors.InvalidParameterException naming the setting that is
   *     unknown, missing or not valid
   */
  Map<String, String> prepare(Map<String, String> given);

  /** Middleware that applies {@code stored} settings (as {@link #prepare} returned them). */
  Middleware build(Map<String, String> stored);
}
