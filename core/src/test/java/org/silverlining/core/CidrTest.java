package org.silverlining.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {
  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @ParameterizedTest
  @CsvSource({
    "10.0.0.0/8, 10.200.3.4, true",
    "10.0.0.0/8, 11.0.0.1, false",
    "192.168.1.0/24, 192.168.1.255, true",
    "192.168.1.0/24, 192.168.2.0, false",
    "127.0.0.1, 127.0.0.1, true",
    "127.0.0.1, 127.0.0.2, false",
    "0.0.0.0/0, 8.8.8.8, true",
    "0.0.0.0/0, ::1, false",
    "::1, ::1, true",
    "::1, ::2, false",
    "2001:db8::/32, 2001:db8:ffff::1, true",
    "2001:db8::/32, 2001:db9::1, false",
    "::/0, 2001:db8::1, true",
    "10.0.0.0/8, ::ffff:10.1.2.3, true",
    "::ffff:10.0.0.0/104, 10.9.9.9, true",
    "192.168.1.7/24, 192.168.1.200, true",
  })
  void holdsTheAddressesOfItsNetwork(String cidr, String address, boolean inside) throws Exception {
    assertThat(Cidr.parse(cidr).contains(ip(address))).isEqualTo(inside);
  }

  @ParameterizedTest
  @CsvSource({
    "10.0.0.0/8, 10.0.0.0/8",
    "127.0.0.1, 127.0.0.1",
    "127.0.0.1/32, 127.0.0.1",
    "192.168.1.7/24, 192.168.1.0/24",
    "::1, ::1",
    "2001:DB8:0:0:0:0:0:0/32, 2001:db8::/32",
    "::/0, ::/0",
    "1:0:0:2:0:0:0:3, 1:0:0:2::3",
    "::ffff:10.0.0.1, 10.0.0.1",
  })
  void printsItsCanonicalForm(String text, String canonical) {
    assertThat(Cidr.parse(text)).hasToString(canonical);
    assertThat(Cidr.parse(canonical)).isEqualTo(Cidr.parse(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "/",
        "/8",
        "10.0.0.0/",
        "10.0.0.0/33",
        "10.0.0.0/-1",
        "10.0.0.0/+8",
        "10.0.0.0/08",
        "10.0.0.0/8/8",
        "10.0.0.0 /8",
        "256.0.0.1",
        "1.2.3",
        "127.1",
        "1.2.3.4.5",
        "01.2.3.4",
        "0x7f.0.0.1",
        "1.2.3.4\n5",
        "localhost",
        "example.com",
        "::1/129",
        "::1%lo",
        "[::1]",
        ":::",
        "1:2:3:4:5:6:7:8:9",
        "12345::",
        "g::1",
        "::1/1e2",
        "١٢٧.٠.٠.١",
        "10.0.0.0/99999999999999999999",
      })
  void refusesWhatIsNotANetworkNamingTheText(String text) {
    assertThatThrownBy(() -> Cidr.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a network")
        .hasMessageContaining("10.0.0.0/8");
  }

  @Test
  void theErrorQuotesTheText() {
    assertThatThrownBy(() -> Cidr.parse("10.0.0.300/8"))
        .hasMessageStartingWith("'10.0.0.300/8' is not a network");
  }

  @Test
  void aHugeOrControlLadenTextIsShortenedAndCleanedInTheError() {
    String huge = "1".repeat(100_000);
    assertThatThrownBy(() -> Cidr.parse(huge)).message().hasSizeLessThan(200);
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/8\u001b[31m")).message().doesNotContain("\u001b");
    assertThatThrownBy(() -> Cidr.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsAListSeparatedByCommasOrSpaces() {
    assertThat(Cidr.parseList(" 10.0.0.0/8, ::1  192.168.0.0/16 ").stream().map(Cidr::toString))
        .containsExactly("10.0.0.0/8", "::1", "192.168.0.0/16");
    assertThat(Cidr.parseList("  ")).isEmpty();
    assertThatThrownBy(() -> Cidr.parseList("10.0.0.0/8, nope"))
        .hasMessageStartingWith("'nope' is not a network");
  }

  @Test
  void anyContainsLooksThroughTheList() throws Exception {
    var list = Cidr.parseList("10.0.0.0/8 ::1");
    assertThat(Cidr.anyContains(list, ip("::1"))).isTrue();
    assertThat(Cidr.anyContains(list, ip("10.3.3.3"))).isTrue();
    assertThat(Cidr.anyContains(list, ip("127.0.0.1"))).isFalse();
  }

  @Test
  void aNetworkHoldsTheNetworksInsideIt() {
    assertThat(Cidr.parse("10.0.0.0/8").contains(Cidr.parse("10.1.0.0/16"))).isTrue();
    assertThat(Cidr.parse("10.0.0.0/8").contains(Cidr.parse("10.1.2.3"))).isTrue();
    assertThat(Cidr.parse("10.1.0.0/16").contains(Cidr.parse("10.0.0.0/8"))).isFalse();
    assertThat(Cidr.parse("::1").contains(Cidr.parse("::1"))).isTrue();
    assertThat(Cidr.parse("::/0").contains(Cidr.parse("10.0.0.1"))).isTrue();
  }

  @Property
  void anIpv4AddressIsInItsOwnNetworkAtEveryPrefix(@ForAll int raw, @ForAll byte prefix)
      throws Exception {
    int bits = Math.floorMod(prefix, 33);
    byte[] b = {(byte) (raw >>> 24), (byte) (raw >>> 16), (byte) (raw >>> 8), (byte) raw};
    InetAddress a = InetAddress.getByAddress(b);
    Cidr net = Cidr.parse(a.getHostAddress() + "/" + bits);
    assertThat(net.contains(a)).isTrue();
    assertThat(Cidr.parse(net.toString())).isEqualTo(net);
  }

  @Property
  void anyTextEitherParsesOrFailsWithTheMessage(@ForAll String text) {
    try {
      Cidr c = Cidr.parse(text);
      assertThat(Cidr.parse(c.toString())).isEqualTo(c);
    } catch (IllegalArgumentException e) {
      assertThat(e).hasMessageContaining("is not a network");
    }
  }
}
