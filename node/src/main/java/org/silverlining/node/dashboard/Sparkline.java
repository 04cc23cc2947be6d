package org.silverlining.node.dashboard;

import java.util.Locale;

/**
 * A small line graph as inline SVG, drawn on the server: no script, readable without one (its label
 * says what it shows and the highest value). Values below 0 are gaps (not measured).
 */
final class Sparkline {
  static final int WIDTH = 120;
  static final int HEIGHT = 28;

  /** At most this many points are drawn; more are folded by taking each bucket's highest. */
  static final int MAX_POINTS = WIDTH;

  private Sparkline() {}

  /** Writes the graph of {@code values} (oldest first) with {@code label} for screen readers. */
  static void write(Html h, String label, double[] values, String graph) {
    double[] v = fold(values);
    double max = 0;
    for (double x : v) {
      max = Math.max(max, x);
    }
    h.open(
        "svg",
        "class",
        "spark",
        "viewBox",
        "0 0 " + WIDTH + " " + HEIGHT,
        "width",
        Integer.toString(WIDTH),
        "height",
        Integer.toString(HEIGHT),
        "role",
        "img",
        "aria-label",
        label,
        "data-graph",
        graph,
        "preserveAspectRatio",
        "none");
    h.element("title", label);
    StringBuilder points = new StringBuilder();
    double step = v.length > 1 ? (double) WIDTH / (v.length - 1) : WIDTH;
    for (int i = 0; i < v.length; i++) {
      if (v[i] < 0) {
        continue;
      }
      double y = max == 0 ? HEIGHT - 1 : HEIGHT - 1 - (v[i] / max) * (HEIGHT - 2);
      points.append(String.format(Locale.ROOT, "%.1f,%.1f ", i * step, y));
    }
    h.element("polyline", "", "points", points.toString().strip());
    h.close();
  }

  private static double[] fold(double[] values) {
    if (values.length <= MAX_POINTS) {
      return values;
    }
    double[] out = new double[MAX_POINTS];
    for (int b = 0; b < MAX_POINTS; b++) {
      int from = (int) ((long) b * values.length / MAX_POINTS);
      int to = (int) ((long) (b + 1) * values.length / MAX_POINTS);
      double m = -1;
      for (int i = from; i < to; i++) {
        m = Math.max(m, values[i]);
      }
      out[b] = m;
    }
    return out;
  }
}
