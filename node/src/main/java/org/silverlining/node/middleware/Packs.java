package org.silverlining.node.middleware;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The packs the node can apply: the built-in ones, in the order {@code silver middleware} lists.
 */
public final class Packs {
  private final List<Pack> builtIn =
      List.of(new PasswordPack(), new HeadersPack(), new RateLimitPack());

  /** Every pack, built in first. */
  public List<Pack> all() {
    return new ArrayList<>(builtIn);
  }

  /** The pack called {@code name}. */
  public Optional<Pack> named(String name) {
    return all().stream().filter(p -> p.name().equals(name)).findFirst();
  }
}
