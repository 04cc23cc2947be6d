// An app's page: its graphs (uPlot, fed by the page's JSON endpoint) and its live log (server-sent
// events); a deployment's page, followed until it ends. No inline script anywhere: the
// dashboard's policy is default-src 'self'.
(function () {
  "use strict";

  var LINES_KEPT = 1000;
  var COLORS = ["#1f6feb", "#d97706", "#c2410c"];
  var SERIES = {
    requests: ["req/s"],
    latency: ["p50 ms", "p95 ms", "p99 ms"],
    errors: ["5xx/s"],
    cpu: ["cores"],
    memory: ["MiB"]
  };

  function plot(figure, data) {
    var names = SERIES[figure.dataset.graph];
    var lines = data[figure.dataset.graph];
    var series = [{}];
    names.forEach(function (name, i) {
      series.push({ label: name, stroke: COLORS[i], width: 1.5, spanGaps: false });
    });
    var width = Math.max(240, figure.clientWidth);
    var opts = { width: width, height: 170, series: series, scales: { y: { range: [0, null] } },
      legend: { live: true } };
    var box = document.createElement("div");
    figure.appendChild(box);
    var chart = new uPlot(opts, [data.t].concat(lines), box);
    window.addEventListener("resize", function () {
      chart.setSize({ width: Math.max(240, figure.clientWidth), height: 170 });
    });
    if (data.t.length === 0) {
      figure.classList.add("empty");
    }
  }

  document.querySelectorAll("[data-graphs]").forEach(function (box) {
    fetch(box.dataset.graphs, { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.json();
      })
      .then(function (data) {
        box.querySelectorAll("[data-graph]").forEach(function (figure) { plot(figure, data); });
      })
      .catch(function (e) {
        box.insertAdjacentText("beforeend", "The graphs could not be read: " + e.message);
      });
  });

  document.querySelectorAll("[data-log]").forEach(function (pre) {
    var source = new EventSource(pre.dataset.log);
    // Each connection starts with the last lines again: start afresh.
    source.onopen = function () { pre.textContent = ""; pre.classList.remove("stale"); };
    source.onerror = function () { pre.classList.add("stale"); };
    // The session ended (logout, timeout): the node ends the stream; do not reconnect.
    source.addEventListener("end", function (e) {
      source.close();
      pre.classList.add("stale");
      pre.appendChild(document.createTextNode("[" + e.data + ": log in again to follow the log]\n"));
    });
    source.onmessage = function (e) {
      var atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
      pre.appendChild(document.createTextNode(e.data + "\n"));
      while (pre.childNodes.length > LINES_KEPT) { pre.removeChild(pre.firstChild); }
      if (atEnd) { pre.scrollTop = pre.scrollHeight; }
    };
  });

  // A deployment started from the deploy page: its page shows the stages so far; read it again
  // until the deployment has ended.
  if (document.querySelector('[data-deploy="running"]')) {
    setTimeout(function () { window.location.reload(); }, 1000);
  }
})();
