package org.silverlining.node.middleware;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/** A request as packs see it, made by a test. */
record TestRequest(
    String method, String target, Map<String, String> headers, String clientAddress, boolean secure)
    implements RequestView {
  static TestRequest get(String target) {
    return new TestRequest("GET", target, Map.of(), "192.0.2.1", false);
  }

  TestRequest with(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new TestRequest(method, target, h, clientAddress, secure);
  }

  TestRequest from(String address) {
    return new TestRequest(method, target, headers, address, secure);
  }

  TestRequest overHttps() {
    return new TestRequest(method, target, headers, clientAddress, true);
  }

  @Override
  public String path() {
    int q = target.indexOf('?');
    return q < 0 ? target : target.substring(0, q);
  }

  @Override
  public String header(String name) {
    return headers.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  @Override
  public void forEachHeader(BiConsumer<String, String> each) {
    headers.forEach(each);
  }
}
