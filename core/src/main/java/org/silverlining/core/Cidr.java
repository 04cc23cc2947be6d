package org.silverlining.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A network in CIDR notation: {@code 10.0.0.0/8}, {@code 2001:db8::/32}; a bare address is the
 * network of that one address ({@code /32} or {@code /128}). Only literal addresses are accepted,
 * never host names: parsing never asks DNS. IPv4 networks are kept as IPv4-mapped IPv6 ones, so
 * {@code 10.0.0.0/8} also holds a client that reaches an IPv6 socket as {@code ::ffff:10.1.2.3}.
 * Address bits past the prefix are ignored: {@code 192.168.1.7/24} is {@code 192.168.1.0/24}.
 */
public final class Cidr {
  private static final Pattern IPV4 =
      Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
  private static final Pattern BITS = Pattern.compile("0|[1-9][0-9]{0,2}");
  private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1};

  private final byte[] network;
  private final int bits;

  private Cidr(byte[] network, int bits) {
    this.network = network;
    this.bits = bits;
    for (int i = bits; i < 128; i++) {
      network[i / 8] &= (byte) ~(0x80 >> (i % 8));
    }
  }

  /**
   * The network {@code text} names.
   *
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  public static Cidr parse(String text) {
    if (text == null) {
      throw bad("");
    }
    String t = text.strip();
    int slash = t.indexOf('/');
    String address = slash < 0 ? t : t.substring(0, slash);
    byte[] bytes;
    int width;
    if (IPV4.matcher(address).matches()) {
      bytes = ipv4(address, text);
      width = 32;
    } else if (address.indexOf(':') >= 0 && IPV6.matcher(address).matches()) {
      bytes = ipv6(address, text);
      width = 128;
    } else {
      throw bad(text);
    }
    int bits = width;
    if (slash >= 0) {
      String b = t.substring(slash + 1);
      if (!BITS.matcher(b).matches() || Integer.parseInt(b) > width) {
        throw bad(text);
      }
      bits = Integer.parseInt(b);
    }
    return new Cidr(bytes, width == 32 ? bits + 96 : bits);
  }

  /**
   * The networks of a list written in a setting: separated by commas or white space.
   *
   * @throws IllegalArgumentException naming the first entry that is not a network
   */
  public static List<Cidr> parseList(String text) {
    List<Cidr> list = new ArrayList<>();
    for (String part : text.strip().split("[\\s,]+")) {
      if (!part.isEmpty()) {
        list.add(parse(part));
      }
    }
    return List.copyOf(list);
  }

  /** True when {@code address} lies in this network. */
  public boolean contains(InetAddress address) {
    return holds(sixteen(address.getAddress()));
  }

  private boolean holds(byte[] a) {
    for (int i = 0; i < bits; i++) {
      int mask = 0x80 >> (i % 8);
      if ((a[i / 8] & mask) != (network[i / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  /** True when every address of {@code other} lies in this network. */
  public boolean contains(Cidr other) {
    return other.bits >= bits && holds(other.network);
  }

  /** True when {@code address} lies in one of {@code networks}. */
  public static boolean anyContains(List<Cidr> networks, InetAddress address) {
    for (Cidr c : networks) {
      if (c.contains(address)) {
        return true;
      }
    }
    return false;
  }

  private static byte[] ipv4(String address, String text) {
    String[] parts = address.split("\\.");
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      int n = Integer.parseInt(parts[i]);
      if (n > 255) {
        throw bad(text);
      }
      b[i] = (byte) n;
    }
    return sixteen(b);
  }

  private static byte[] ipv6(String address, String text) {
    try {
      // In brackets the JDK takes the text as an IPv6 literal or fails; it never looks it up.
      return sixteen(InetAddress.getByName("[" + address + "]").getAddress());
    } catch (UnknownHostException e) {
      throw bad(text);
    }
  }

  private static byte[] sixteen(byte[] address) {
    if (address.length == 16) {
      return address.clone();
    }
    byte[] b = Arrays.copyOf(MAPPED_PREFIX, 16);
    System.arraycopy(address, 0, b, 12, 4);
    return b;
  }

  private static IllegalArgumentException bad(String text) {
    String shown = text.length() > 60 ? text.substring(0, 60) + "…" : text;
    return new IllegalArgumentException(
        "'"
            + shown.replaceAll("\\p{Cntrl}", "?")
            + "' is not a network: write an address (10.1.2.3, ::1) or a network in CIDR"
            + " notation (10.0.0.0/8, 2001:db8::/32)");
  }

  private boolean isIpv4() {
    return bits >= 96 && Arrays.equals(network, 0, 12, MAPPED_PREFIX, 0, 12);
  }

  /**
   * The network as written canonically: {@code 10.0.0.0/8}, {@code 2001:db8::/32}, or a bare
   * address.
   */
  @Override
  public String toString() {
    String address;
    int width;
    if (isIpv4()) {
      address =
          (network[12] & 0xff)
              + "."
              + (network[13] & 0xff)
              + "."
              + (network[14] & 0xff)
              + "."
              + (network[15] & 0xff);
      width = 32;
    } else {
      address = ipv6Text(network);
      width = 128;
    }
    int prefix = isIpv4() ? bits - 96 : bits;
    return prefix == width ? address : address + "/" + prefix;
  }

  /** RFC 5952 text: lower case, the longest run of two or more zero groups as {@code ::}. */
  private static String ipv6Text(byte[] b) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        s.append("::");
        i += bestLength - 1;
        continue;
      }
      if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
        s.append(':');
      }
      s.append(Integer.toHexString(g[i]));
    }
    return s.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.bits == bits && Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + bits;
  }
}
