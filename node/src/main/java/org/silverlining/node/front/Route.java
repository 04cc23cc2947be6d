package org.silverlining.node.front;

import org.silverlining.core.Location;

/**
 * What the front knows of a location: which app owns it, the instance that serves it, and the one
 * before it (reached at {@code prev.HOST}).
 */
public record Route(Location location, String app, String active, String previous) {}
