// The team-sync tests' TCP proxy (proxy.mjs) against a tiny local HTTP server:
// it forwards, counts requests and bytes, and cuts and restores the network.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startProxy, requestCounter } from './proxy.mjs';

let target;
let targetPort;

before(async () => {
  target = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const delay = req.url.startsWith('/slow') ? 2_000 : 0;
      setTimeout(() => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end(`${req.method} ${req.url} ${body}`);
      }, delay);
    });
  });
  await new Promise((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetPort = target.address().port;
});

after(async () => {
  target.closeAllConnections();
  await new Promise((resolve) => target.close(resolve));
});

/** One request through a keep-alive agent; resolves to { status, body }. */
function send(agent, url, { method = 'GET', body, chunked = false, timeout = 5_000 } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, timeout }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, body: text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (body !== undefined && !chunked) req.setHeader('Content-Length', Buffer.byteLength(body));
    if (body !== undefined && chunked) {
      // Two writes without a Content-Length: Node sends them as chunks.
      req.write(body.slice(0, 3));
      req.write(body.slice(3));
    } else if (body !== undefined) {
      req.write(body);
    }
    req.end();
  });
}

test('forwards requests and counts them and their bytes, keep-alive included', async () => {
  const proxy = await startProxy(targetPort);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const a = await send(agent, `${proxy.url}one`);
    assert.deepEqual(a, { status: 200, body: 'GET /one ' });
    const b = await send(agent, `${proxy.url}two`, { method: 'PUT', body: '{"x":1}' });
    assert.equal(b.body, 'PUT /two {"x":1}');
    const c = await send(agent, `${proxy.url}three`, { method: 'POST', body: 'chunked body', chunked: true });
    assert.equal(c.body, 'POST /three chunked body');
    await send(agent, `${proxy.url}four`);
    assert.equal(proxy.stats.connections, 1, 'one kept-alive connection');
    assert.equal(proxy.stats.requests, 4);
    assert.deepEqual(proxy.stats.log.map((r) => `${r.method} ${r.url}`), ['GET /one', 'PUT /two', 'POST /three', 'GET /four']);
    assert.ok(proxy.stats.bytesUp > '{"x":1}chunked body'.length, `bytesUp ${proxy.stats.bytesUp}`);
    assert.ok(proxy.stats.bytesDown > 'GET /one PUT /two {"x":1}'.length, `bytesDown ${proxy.stats.bytesDown}`);
    proxy.resetStats();
    assert.deepEqual(
      { ...proxy.stats, log: proxy.stats.log.length },
      { requests: 0, bytesUp: 0, bytesDown: 0, connections: 0, refused: 0, log: 0 },
    );
  } finally {
    agent.destroy();
    await proxy.close();
  }
});

test('cut drops open connections and refuses new ones until restore', async () => {
  const proxy = await startProxy(targetPort);
  const agent = new http.Agent({ keepAlive: true });
  try {
    const pending = send(agent, `${proxy.url}slow`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await proxy.cut();
    await assert.rejects(pending, /socket hang up|ECONNRESET/, 'the open request is dropped');
    await assert.rejects(send(agent, `${proxy.url}again`), /ECONNREFUSED/);
    await proxy.restore();
    assert.equal((await send(agent, `${proxy.url}back`)).body, 'GET /back ');
  } finally {
    agent.destroy();
    await proxy.close();
  }
});

test("cut({ mode: 'hang' }) accepts and never answers until restore", async () => {
  const proxy = await startProxy(targetPort);
  const agent = new http.Agent({ keepAlive: false });
  try {
    await proxy.cut({ mode: 'hang' });
    const started = Date.now();
    await assert.rejects(send(agent, `${proxy.url}hung`, { timeout: 300 }), /timeout/);
    assert.ok(Date.now() - started >= 250, 'it hung rather than failed at once');
    assert.equal(proxy.stats.refused, 1);
    assert.equal(proxy.stats.requests, 0, 'nothing reached the server');
    await proxy.restore();
    assert.equal((await send(agent, `${proxy.url}back`)).body, 'GET /back ');
    await assert.rejects(proxy.cut({ mode: 'sideways' }), /mode must be/);
  } finally {
    agent.destroy();
    await proxy.close();
  }
});

test('the request counter finds requests split anywhere across packets', () => {
  const wire = Buffer.from(
    'PUT /db/a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello' +
      'POST /db/_bulk_docs HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;ext\r\nabc\r\n2\r\nde\r\n0\r\nX-T: 1\r\n\r\n' +
      'GET /db/_changes?since=0 HTTP/1.1\r\nHost: h\r\n\r\n',
  );
  for (const step of [1, 2, 7, wire.length]) {
    const seen = [];
    const feed = requestCounter((r) => seen.push(`${r.method} ${r.url}`));
    for (let i = 0; i < wire.length; i += step) feed(wire.subarray(i, i + step));
    assert.deepEqual(seen, ['PUT /db/a', 'POST /db/_bulk_docs', 'GET /db/_changes?since=0'], `packets of ${step} bytes`);
  }
});
