// The npm package (`cargo xtask package`), installed as a host project would install it:
// the tarball goes into a fresh folder with `npm install`, that folder is served as is,
// and a page imports the package by its name through an import map, mounts a widget,
// tags a sentence by key, reads `annotations()`, and gets a widget auto-mounted on its
// [data-article-annotator] element. The package's types resolve by its name too.
//
// The tarball: $AA_PACKAGE_TGZ (`cargo xtask test` packs the release build before the
// end-to-end tests); $AA_PACKAGE_ERROR when that failed; else this runs
// `cargo xtask package` itself (which builds dist/ first if it is missing or stale).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openPage, startServer, waitForAttribute, waitForWidget, waitUntil } from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..', '..');
const tsc = path.join(here, 'node_modules', 'typescript', 'bin', 'tsc');
const ENTRY = 'article-annotator.js';
const TEXT = 'The council voted on Monday. "It is a good day," the mayor said. Critics say the plan costs too much.';

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`${command} ${args.join(' ')}: ${result.error.message}`);
  return result;
}

/** The tarball's path: from the environment, else from `cargo xtask package`'s output. */
function tarball() {
  if (process.env.AA_PACKAGE_ERROR) throw new Error(`cargo xtask package failed: ${process.env.AA_PACKAGE_ERROR}`);
  if (process.env.AA_PACKAGE_TGZ) return process.env.AA_PACKAGE_TGZ;
  const result = run('cargo', ['xtask', 'package'], root);
  assert.equal(result.status, 0, `cargo xtask package failed:\n${result.stdout}\n${result.stderr}`);
  const line = result.stdout.match(/^package: (.+\.tgz) \(\d+ bytes\)$/m);
  assert.ok(line, `no tarball in the output of cargo xtask package:\n${result.stdout}`);
  return line[1];
}

async function listFiles(dir, prefix = '') {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const name = prefix + entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(path.join(dir, entry.name), `${name}/`)));
    else out.push(name);
  }
  return out.sort();
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>article-annotator from npm</title>
  <script type="importmap">{"imports":{"article-annotator":"./node_modules/article-annotator/${ENTRY}"}}</script>
</head>
<body>
  <div id="story"></div>
  <div id="auto" data-article-annotator data-doc-id="package-auto">An element's own text is its article. Its second sentence.</div>
  <div id="spanish" data-article-annotator data-doc-id="package-es" data-lang="es">El pleno votó el lunes. La oposición pidió el presupuesto.</div>
  <script type="module">
    import { mount, widgetFor } from "article-annotator";
    window.story = mount(document.getElementById("story"), { text: ${JSON.stringify(TEXT)}, docId: "package-story" });
    window.widgetFor = widgetFor;
    document.body.dataset.ready = "";
  </script>
</body>
</html>
`;

describe('the npm package', { timeout: 600_000 }, () => {
  let project, server, browser;

  before(async () => {
    const tgz = tarball();
    project = await mkdtemp(path.join(os.tmpdir(), 'aa-package-'));
    await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'aa-package-host', private: true, type: 'module' }));
    const install = run('npm', ['install', '--no-audit', '--no-fund', '--offline', tgz], project);
    assert.equal(install.status, 0, `npm install ${tgz} failed:\n${install.stdout}\n${install.stderr}`);
    assert.doesNotMatch(install.stdout + install.stderr, /npm warn/i, 'npm install warned');
    await writeFile(path.join(project, 'index.html'), PAGE);
    server = await startServer(project);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (project) await rm(project, { recursive: true, force: true });
  });

  it('installs the loader, the bindings, the wasm, the catalogues, the types and nothing else', async () => {
    const files = await listFiles(path.join(project, 'node_modules', 'article-annotator'));
    assert.deepEqual(files, ['README.md', 'article-annotator.css', 'article-annotator.d.ts', ENTRY, 'catalogues/de.txt', 'catalogues/es.txt', 'catalogues/fr.txt', 'catalogues/uk.txt', 'package.json', 'pkg/article-annotator.js', 'pkg/article-annotator_bg.wasm', 'pkg/embed/article-annotator.js', 'pkg/embed/article-annotator_bg.wasm']);
    const wasm = await fetch(`${server.url}node_modules/article-annotator/pkg/article-annotator_bg.wasm`);
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  });

  it('a page imports it by name, mounts a widget, tags by key, and auto-mounts', async () => {
    const { context, page, errors } = await openPage(browser, server.url);
    try {
      const requested = [];
      page.on('request', (request) => requested.push(new URL(request.url()).pathname));
      await page.goto('/');
      await page.waitForSelector('body[data-ready]', { state: 'attached', timeout: 20_000 });
      await waitForWidget(page);
      // The wasm came from beside the module (import.meta.url), not from the page's folder:
      // the embed build's, the full one is not needed here.
      assert.ok(requested.includes('/node_modules/article-annotator/pkg/embed/article-annotator_bg.wasm'), requested.join('\n'));
      assert.ok(requested.includes('/node_modules/article-annotator/article-annotator.css'), requested.join('\n'));
      assert.ok(!requested.includes('/node_modules/article-annotator/pkg/article-annotator_bg.wasm'), requested.join('\n'));

      const story = (i) => `#story [data-sentence="${i}"]`;
      assert.equal(await page.locator('#story [data-sentence]').count(), 3);
      await page.locator(story(1)).focus();
      await page.keyboard.press('2');
      await waitForAttribute(page, story(1), 'data-labels', 'quote');
      const annotations = await page.evaluate(() => window.story.annotations().map((a) => ({ labels: a.labels, sentence: a.sentence, exact: a.target.quote.exact })));
      assert.deepEqual(annotations, [{ labels: ['quote'], sentence: 1, exact: '"It is a good day," the mayor said.' }]);
      assert.equal(await page.evaluate(() => window.story.docId), 'package-story');

      // The [data-article-annotator] element got its widget when the module loaded.
      const auto = (i) => `#auto [data-sentence="${i}"]`;
      await waitUntil(page, () => document.querySelectorAll('#auto [data-sentence]').length === 2, null, 'the auto-mounted widget renders its two sentences');
      await page.locator(auto(0)).focus();
      await page.keyboard.press('1');
      await waitForAttribute(page, auto(0), 'data-labels', 'claim');
      const handle = await page.evaluate(() => {
        const widget = window.widgetFor(document.getElementById('auto'));
        return { docId: widget?.docId, labels: widget?.annotations().map((a) => a.labels) };
      });
      assert.deepEqual(handle, { docId: 'package-auto', labels: [['claim']] });
      // A Spanish article: its interface catalogue came from the package too.
      await page.waitForSelector('#spanish [data-sentence="1"]');
      assert.equal(await page.locator('#spanish [data-action="undo"]').textContent(), 'Deshacer');
      assert.ok(requested.includes('/node_modules/article-annotator/catalogues/es.txt'), requested.join('\n'));
      // Each widget kept its own tag.
      assert.equal(await page.locator('#story [data-sentence]:not([data-labels=""])').count(), 1);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('its types resolve by the package name', async () => {
    const usage = path.join(project, 'usage.ts');
    await writeFile(usage, [
      'import { mount, widgetFor, type WidgetHandle, type Annotation } from "article-annotator";',
      'const handle: WidgetHandle = mount(document.body, { text: "One. Two.", docId: "t" });',
      'const list: Annotation[] = handle.annotations();',
      'widgetFor(document.body)?.focus(list.length);',
      '// @ts-expect-error: text is required',
      'mount(document.body, { docId: "t" });',
      '',
    ].join('\n'));
    // Node's resolution (the strictest about `exports` and `type: module`); one run, tsc is slow.
    const result = run(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext',
      '--moduleResolution', 'nodenext', '--lib', 'es2022,dom', usage], project);
    assert.equal(result.status, 0, `tsc:\n${result.stdout}${result.stderr}`);
  });
});
