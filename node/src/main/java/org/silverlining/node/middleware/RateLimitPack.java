package org.silverlining.node.middleware;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ratelimit}: at most {@code rate} requests per client address, with bursts of {@code burst}
 * (a token bucket per address: it holds {@code burst} tokens, refilled at {@code rate}, and each
 * request takes one). A client over it gets {@code 429} with {@code Retry-After}.
 */
final class RateLimitPack implements Pack {
  static final String NAME = "ratelimit";

  /** Clients remembered at most; past it, those whose bucket has refilled are forgotten. */
  static final int MAX_CLIENTS = 100_000;

  private static final Pattern RATE = Pattern.compile("(\\d{1,9})\\s*/\\s*(s|m|h)");
  private static final PackInfo INFO =
      PackInfo.builtIn(
          NAME,
          "at most rate requests per client address (bursts of burst); others get 429 with"
              + " Retry-After",
          new Setting("rate", "requests per client address: N/s, N/m or N/h, e.g. 10/s", false),
          new Setting(
              "burst", "requests allowed at once above the rate (default: the rate's N)", false));

  @Override
  public PackInfo info() {
    return INFO;
  }

  @Override
  public Map<String, String> store(Map<String, String> given) {
    String rate = PackSettings.required(this, given, "rate", "10/s");
    Matcher m = RATE.matcher(rate.strip().toLowerCase(Locale.ROOT));
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw PackSettings.refused(
          this,
          "rate",
          "rate is N/s, N/m or N/h with N at least 1 (10/s, 300/m), not '" + rate + "'");
    }
    Map<String, String> stored = new LinkedHashMap<>();
    stored.put("rate", m.group(1) + "/" + m.group(2));
    String burst = given.get("burst");
    if (burst != null) {
      int b;
      try {
        b = Integer.parseInt(burst.strip());
      } catch (NumberFormatException e) {
        b = 0;
      }
      if (b < 1) {
        throw PackSettings.refused(
            this, "burst", "burst is a whole number of requests, at least 1, not '" + burst + "'");
      }
      stored.put("burst", Integer.toString(b));
    }
    return stored;
  }

  @Override
  public Middleware build(Map<String, String> stored) {
    String[] rate = stored.get("rate").split("/");
    long count = Long.parseLong(rate[0]);
    double seconds =
        switch (rate[1]) {
          case "s" -> 1;
          case "m" -> 60;
          default -> 3600;
        };
    int burst =
        stored.containsKey("burst")
            ? Integer.parseInt(stored.get("burst"))
            : (int) Math.min(count, Integer.MAX_VALUE);
    return new Limiter(count / seconds, burst, stored.get("rate"));
  }

  /** The buckets of one location's clients. */
  static final class Limiter implements Middleware {
    private final double perSecond;
    private final int burst;
    private final Refusal refusal;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    Limiter(double perSecond, int burst, String rate) {
      this.perSecond = perSecond;
      this.burst = burst;
      this.refusal =
          new Refusal(
              Refusal.Kind.RATE_LIMIT,
              "ratelimit pack: over " + rate + " (burst " + burst + ")",
              null);
    }

    @Override
    public Decision decide(RequestView request) {
      long now = System.nanoTime();
      if (buckets.size() >= MAX_CLIENTS) {
        buckets.values().removeIf(b -> b.full(now));
      }
      Bucket b = buckets.computeIfAbsent(request.clientAddress(), a -> new Bucket(burst, now));
      double wait = b.take(now);
      if (wait <= 0) {
        return Decision.PASS;
      }
      long retryAfter = Math.max(1, (long) Math.ceil(wait));
      return Decision.Answer.text(
          429,
          "Too many requests; try again in " + retryAfter + " s.",
          refusal,
          new Header("Retry-After", Long.toString(retryAfter)));
    }

    /** One client's tokens. */
    private final class Bucket {
      private double tokens;
      private long updated;

      Bucket(double tokens, long now) {
        this.tokens = tokens;
        this.updated = now;
      }

      /** Takes a token: 0 when there was one, else the seconds until there is. */
      synchronized double take(long now) {
        refill(now);
        if (tokens >= 1) {
          tokens -= 1;
          return 0;
        }
        return (1 - tokens) / perSecond;
      }

      synchronized boolean full(long now) {
        refill(now);
        return tokens >= burst;
      }

      private void refill(long now) {
        tokens = Math.min(burst, tokens + (now - updated) / 1e9 * perSecond);
        updated = now;
      }
    }
  }
}
