// The dashboard's own script: small and optional (every page works without it).
// It shows each <time datetime> in the reader's own time zone.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const t of document.querySelectorAll("time[datetime]")) {
    const d = new Date(t.getAttribute("datetime"));
    if (!isNaN(d)) {
      t.title = t.getAttribute("datetime");
      t.textContent = d.toLocaleString();
    }
  }
});
