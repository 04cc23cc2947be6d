package org.silverlining.node.monitor;

import org.silverlining.node.front.LiveInstance;

/** A location and the instance running for it now. */
public record LiveLocation(String location, String app, LiveInstance live) {}
