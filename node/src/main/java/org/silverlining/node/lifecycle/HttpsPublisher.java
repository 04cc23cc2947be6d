package org.silverlining.node.lifecycle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.silverlining.core.AppConfig;
import org.silverlining.core.Location;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.state.StateStore;
import org.silverlining.node.tls.Certificates;
import org.silverlining.node.tls.HttpsPolicy;
import org.silverlining.node.tls.HttpsRedirect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the front each live app's HTTPS policy and the certificate keeper the hosts that want a
 * certificate: the exact hosts of live locations whose app does not say {@code https = off}.
 */
public final class HttpsPublisher implements RoutePublisher.Subscriber {
  private static final Logger log = LoggerFactory.getLogger(HttpsPublisher.class);

  private final NodeLayout layout;
  private final HttpsRedirect httpsRedirect;
  private final Certificates certificates;

  public HttpsPublisher(NodeLayout layout, HttpsRedirect httpsRedirect, Certificates certificates) {
    this.layout = layout;
    this.httpsRedirect = httpsRedirect;
    this.certificates = certificates;
  }

  @Override
  public void published(List<StateStore.LocationRecord> locations) {
    Map<String, HttpsPolicy> policies = new LinkedHashMap<>();
    Set<String> hosts = new TreeSet<>();
    for (StateStore.LocationRecord l : locations) {
      if (l.active() == null) {
        continue;
      }
      HttpsPolicy p = policies.computeIfAbsent(l.app(), app -> httpsPolicy(app, l.active()));
      if (p.wantsCertificates()) {
        hosts.add(Location.parse(l.location()).host());
      }
    }
    httpsRedirect.setPolicies(policies);
    certificates.want(hosts);
  }

  private HttpsPolicy httpsPolicy(String app, String instance) {
    try {
      AppConfig c = AppConfig.load(layout.instanceDir(app, instance), false);
      return new HttpsPolicy(c.httpsMode(), c.hstsSeconds());
    } catch (Exception e) {
      log.warn("cannot read the app.ini of {}: {}; HTTPS as by default", instance, e.toString());
      return HttpsPolicy.DEFAULT;
    }
  }
}
