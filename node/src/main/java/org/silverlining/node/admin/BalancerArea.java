package org.silverlining.node.admin;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.silverlining.node.api.ApiArea;
import org.silverlining.node.api.Endpoint;
import org.silverlining.node.api.Params;
import org.silverlining.node.api.Routes;
import org.silverlining.node.balancer.Balancer;
import org.silverlining.node.control.Jobs;
import org.silverlining.node.cron.CronLeadership;
import org.silverlining.node.errors.InvalidParameterException;
import org.silverlining.node.resp.RedisClient;

/**
 * The nodeset roles of a node, set by {@code silver update APP SITE.nodeset}: on the balancer, the
 * locations it spreads over app servers ({@code GET balancer}, {@code POST balancer/route}, {@code
 * POST balancer/remove}); on an app server, the balancer it trusts ({@code POST balancer/trust})
 * and the nodesets whose cron jobs it runs while it leads them and whose Redis keeps their tasks
 * ({@code GET nodeset}, {@code POST nodeset/join}).
 */
final class BalancerArea implements ApiArea {
  private final Balancer balancer;
  private final Jobs jobs;

  BalancerArea(Balancer balancer, Jobs jobs) {
    this.balancer = balancer;
    this.jobs = jobs;
  }

  private CronLeadership cron() {
    return jobs.cronLeadership();
  }

  record JoinParams(String nodeset, String location, String redis) {
    JoinParams {
      Params.required("nodeset", nodeset);
      Params.required("location", location);
      Params.required("redis", redis);
      try {
        new RedisClient(redis, "the nodeset's Redis", 1).close();
      } catch (IllegalArgumentException e) {
        throw new InvalidParameterException("redis", e.getMessage());
      }
    }
  }

  record RouteParams(String location, String nodeset, String upstreams) {
    RouteParams {
      Params.required("location", location);
      Params.required("nodeset", nodeset);
      Params.required("upstreams", upstreams);
    }

    List<String> addresses() {
      return Arrays.stream(upstreams.split("[,\\s]+")).filter(a -> !a.isEmpty()).toList();
    }
  }

  record None() {}

  record LocationParams(String location) {
    LocationParams {
      Params.required("location", location);
    }
  }

  record TrustParams(String nodeset, String address) {
    TrustParams {
      Params.required("nodeset", nodeset);
      Params.required("address", address);
    }
  }

  @Override
  public void addRoutes(Routes routes) {
    routes
        .get(
            "balancer",
            Endpoint.json(
                None.class,
                (p, call) ->
                    Map.of("locations", balancer.locations(), "trusted", balancer.trusted())))
        .post(
            "balancer/route",
            Endpoint.json(
                RouteParams.class,
                (p, call) -> balancer.route(p.location(), p.nodeset(), p.addresses())))
        .post(
            "balancer/remove",
            Endpoint.json(
                LocationParams.class,
                (p, call) -> {
                  balancer.remove(p.location());
                  return Map.of("location", p.location(), "removed", true);
                }))
        .post(
            "balancer/trust",
            Endpoint.json(
                TrustParams.class,
                (p, call) -> {
                  balancer.trust(p.nodeset(), p.address());
                  return Map.of("trusted", balancer.trusted());
                }))
        .get(
            "nodeset",
            Endpoint.json(None.class, (p, call) -> Map.of("nodesets", cron().describe())))
        .post(
            "nodeset/join",
            Endpoint.json(
                JoinParams.class,
                (p, call) -> {
                  Jobs.Joined joined = jobs.joinNodeset(p.nodeset(), p.location(), p.redis());
                  Map<String, Object> out = new LinkedHashMap<>();
                  out.put("nodesets", cron().describe());
                  out.put("tasks_moved", joined.tasksMoved());
                  if (joined.tasksError() != null) {
                    out.put("tasks_error", joined.tasksError());
                  }
                  return out;
                }));
  }
}
