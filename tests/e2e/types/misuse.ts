// Must NOT compile: types.test.mjs checks that tsc rejects each line.
import { mount } from "../../../web/article-annotator.js";

const element = document.createElement("div");
mount(element, { docId: "no text" });
mount(element, { text: "x", storage: "cloud" });
mount(element, { text: "x" }).exportJson("xml");
mount(element, { text: "x" }).on("click", () => {});
