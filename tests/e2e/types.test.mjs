// The checked-in TypeScript types (web/article-annotator.d.ts, shipped in dist/) compile,
// describe a real host's use of the API, and reject misuse.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const tsc = path.join(here, 'node_modules', 'typescript', 'bin', 'tsc');

function compile(file) {
  return spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'es2022',
    '--moduleResolution', 'bundler', '--lib', 'es2022,dom', path.join(here, 'types', file)], { encoding: 'utf8' });
}

it('the API types accept a host page\'s use of the API', () => {
  const result = compile('usage.ts');
  assert.equal(result.status, 0, result.stdout + result.stderr);
});

it('the API types reject misuse, line by line', () => {
  const result = compile('misuse.ts');
  const lines = new Set([...result.stdout.matchAll(/misuse\.ts\((\d+),/g)].map((m) => Number(m[1])));
  assert.deepEqual([...lines].sort((a, b) => a - b), [5, 6, 7, 8], result.stdout);
});
