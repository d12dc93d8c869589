// Compiled (not run) by types.test.mjs against web/article-annotator.d.ts: a host
// page's use of the API must type-check, and misuse must not.
import { mount, widgetFor, type ChangeEvent, type WidgetHandle } from "../../../web/article-annotator.js";

const element = document.createElement("div");
const widget: WidgetHandle = mount(element, {
  text: "One. Two.",
  docId: "typed",
  labels: [{ name: "checkable", key: "1", color: "#0f766e", line: "wavy" }],
  readOnly: false,
  storage: "none",
});
widget.on("change", (e: ChangeEvent) => e.changes.map((c) => c.labels.join(" ")));
widget.on("select", (e) => e.sentence + 1);
const sentences: (number | null | undefined)[] = widget.annotations().map((a) => a.sentence);
const w3c: string = widget.exportJson("w3c");
const skipped: number = widget.importJson(w3c, "replace").skipped.length;
widget.focus(1);
widgetFor(element)?.destroy();
export { sentences, skipped };
