package org.silverlining.node.middleware;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.silverlining.core.Cidr;

/** A list of networks a setting names, and whether a client's address is in one of them. */
record ClientNetworks(List<Cidr> networks) {
  /** The networks of {@code text} ({@code 10.0.0.0/8, ::1}); refused naming {@code key}. */
  static ClientNetworks parse(Pack pack, String key, String text) {
    try {
      List<Cidr> list = Cidr.parseList(text);
      if (list.isEmpty()) {
        throw PackSettings.refused(pack, key, key + " needs at least one network, e.g. 10.0.0.0/8");
      }
      return new ClientNetworks(list);
    } catch (IllegalArgumentException e) {
      throw PackSettings.refused(pack, key, key + ": " + e.getMessage());
    }
  }

  /** The networks as stored: canonical, comma-separated. */
  String text() {
    return String.join(", ", networks.stream().map(Cidr::toString).toList());
  }

  boolean contains(String clientAddress) {
    try {
      // A literal address: no name is looked up.
      return Cidr.anyContains(networks, InetAddress.getByName(clientAddress));
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
