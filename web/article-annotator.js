// article-annotator: the module a page loads. Importing it mounts a widget on every
// [data-article-annotator] element (and on those added later), and exports `mount` and
// `widgetFor` for pages that drive widgets from script. Types: article-annotator.d.ts.
import init, { mount, widgetFor } from "./pkg/article-annotator.js";

await init({ module_or_path: new URL("./pkg/article-annotator_bg.wasm", import.meta.url) });

export { mount, widgetFor };
