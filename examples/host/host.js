// The host page's script: mounts the second widget through the API, with its own labels,
// and logs both widgets' events. No inline script anywhere (the page works under a
// strict Content-Security-Policy).
import { mount, widgetFor } from "../article-annotator.js";

const log = document.getElementById("event-log");
function record(widget, name, event) {
  const item = document.createElement("li");
  const what = name === "change"
    ? `${event.source}: ${event.changes.map((c) => `#${c.sentence} [${c.labels.join(" ")}]`).join(", ")}`
    : `#${event.sentence}`;
  item.textContent = `${widget} ${name} ${what}`;
  log.prepend(item);
  window.hostEvents.push({ widget, name, event });
}
window.hostEvents = [];
window.hostWidgets = {};
// For the end-to-end tests, which mount and destroy widgets of their own on this page.
window.articleAnnotator = { mount, widgetFor };

// The second widget: mounted from script, with labels of this newsroom's own.
const library = mount(document.getElementById("widget-library"), {
  text: document.getElementById("widget-library").textContent,
  docId: "host-library",
  labels: [
    { name: "checkable", key: "1", color: "#0f766e", line: "solid" },
    { name: "opinion", key: "2", color: "#b91c1c", line: "wavy" },
  ],
});
library.on("change", (e) => record("library", "change", e));
library.on("select", (e) => record("library", "select", e));
window.hostWidgets.library = library;

// The first widget mounts itself from markup once its article has loaded.
const geneva = document.getElementById("widget-geneva");
function attach() {
  const handle = widgetFor(geneva);
  if (!handle) return false;
  handle.on("change", (e) => record("geneva", "change", e));
  handle.on("select", (e) => record("geneva", "select", e));
  window.hostWidgets.geneva = handle;
  document.body.dataset.hostReady = "";
  return true;
}
if (!attach()) {
  const watcher = new MutationObserver(() => attach() && watcher.disconnect());
  watcher.observe(geneva, { childList: true, subtree: true });
}
