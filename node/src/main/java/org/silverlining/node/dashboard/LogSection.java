package org.silverlining.node.dashboard;

/** The app page's live log, streamed by the page's script from {@link LogEvents}. */
final class LogSection extends AppSection {
  LogSection(Html h, AppPageData d, String csrf) {
    super(h, d, csrf, "log", "Live log");
  }

  @Override
  void body() {
    h.element(
        "pre",
        "",
        "class",
        "log",
        "tabindex",
        "0",
        "role",
        "log",
        "aria-label",
        "The app's log, newest line last",
        "data-log",
        LogEvents.path(d.app()));
    h.open("noscript")
        .text("The live log needs JavaScript; ")
        .element(
            "code", "silver logs " + (d.location() == null ? d.app() : d.location()) + " --follow")
        .text(" shows the same lines.")
        .close();
  }
}
