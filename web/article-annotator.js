// article-annotator: the module a page loads. Importing it mounts a widget on every
// [data-article-annotator] element, and exports `mount` for pages that drive it from script.
import init, { mount } from "./pkg/article-annotator.js";

await init({ module_or_path: new URL("./pkg/article-annotator_bg.wasm", import.meta.url) });

export { mount };
