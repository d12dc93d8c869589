// A TCP proxy for the team-sync tests (no dependencies): it stands between the
// browser and the CouchDB test server, so that a test can take the network away
// (`cut`) and give it back (`restore`), and count what sync costs: HTTP requests
// and bytes each way (`stats`; `resetStats()` before the action to measure).
import net from 'node:net';

/**
 * Reads the client's side of a connection as a stream of HTTP/1.1 requests
 * (keep-alive, bodies framed by Content-Length or chunked) and calls
 * `onRequest({ method, url })` at the start of each. Only counts: the bytes
 * are forwarded untouched, whatever this makes of them.
 */
export function requestCounter(onRequest) {
  let buffer = Buffer.alloc(0);
  let state = 'head'; // head | body | chunk-size | chunk-data | trailers | opaque
  let remaining = 0;
  const takeLine = () => {
    const end = buffer.indexOf('\r\n');
    if (end < 0) return null;
    const line = buffer.subarray(0, end).toString('latin1');
    buffer = buffer.subarray(end + 2);
    return line;
  };
  return function feed(chunk) {
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    for (;;) {
      if (state === 'opaque') {
        buffer = Buffer.alloc(0);
        return;
      }
      if (state === 'head') {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = buffer.subarray(0, end).toString('latin1').split('\r\n');
        buffer = buffer.subarray(end + 4);
        const [method = '', url = ''] = lines[0].split(' ');
        onRequest({ method, url });
        const headers = {};
        for (const line of lines.slice(1)) {
          const colon = line.indexOf(':');
          if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        if (/chunked/i.test(headers['transfer-encoding'] || '')) {
          state = 'chunk-size';
        } else if (headers['content-length']) {
          remaining = Number.parseInt(headers['content-length'], 10) || 0;
          state = remaining > 0 ? 'body' : 'head';
        } else if (/upgrade/i.test(headers.connection || '')) {
          state = 'opaque'; // not HTTP any more: stop counting on this connection
        }
        continue;
      }
      if (state === 'body' || state === 'chunk-data') {
        const n = Math.min(remaining, buffer.length);
        buffer = buffer.subarray(n);
        remaining -= n;
        if (remaining > 0) return;
        state = state === 'body' ? 'head' : 'chunk-size';
        continue;
      }
      const line = takeLine();
      if (line === null) return;
      if (state === 'chunk-size') {
        if (line === '') continue; // the CRLF after a chunk's data
        const size = Number.parseInt(line.split(';')[0], 16);
        if (!Number.isFinite(size)) {
          state = 'opaque';
        } else if (size === 0) {
          state = 'trailers';
        } else {
          remaining = size;
          state = 'chunk-data';
        }
      } else if (state === 'trailers' && line === '') {
        state = 'head';
      }
    }
  };
}

/**
 * Starts a proxy on 127.0.0.1 (a free port) to `targetHost:targetPort`.
 * Resolves to `{ url, port, cut(options), restore(), close(), stats, resetStats() }`:
 * - `cut({ mode })` drops every open connection; until `restore()`, new ones are
 *   refused (`mode: 'refuse'`, the default: the port stops listening, like a
 *   server that is down) or accepted and never answered (`mode: 'hang'`, like a
 *   network that swallows packets). Both return Promises.
 * - `stats`: `requests` (HTTP requests seen), `bytesUp` (client to server),
 *   `bytesDown` (server to client), `connections`, `refused` (connections
 *   dropped while cut) and `log` (`{ method, url }` of each request).
 */
export async function startProxy(targetPort, { targetHost = '127.0.0.1' } = {}) {
  const open = new Set();
  const held = new Set();
  let mode = null; // null when the network is up
  const stats = {};
  const resetStats = () => Object.assign(stats, { requests: 0, bytesUp: 0, bytesDown: 0, connections: 0, refused: 0, log: [] });
  resetStats();

  const track = (socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => {});
  };

  const server = net.createServer((client) => {
    track(client);
    if (mode === 'hang') {
      held.add(client);
      client.on('close', () => held.delete(client));
      stats.refused += 1;
      return;
    }
    if (mode) {
      stats.refused += 1;
      client.destroy();
      return;
    }
    stats.connections += 1;
    const upstream = net.connect(targetPort, targetHost);
    track(upstream);
    const count = requestCounter((request) => {
      stats.requests += 1;
      stats.log.push(request);
    });
    client.on('data', (chunk) => {
      stats.bytesUp += chunk.length;
      count(chunk);
    });
    upstream.on('data', (chunk) => {
      stats.bytesDown += chunk.length;
    });
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
  });
  server.on('error', () => {});

  const listen = (port) =>
    new Promise((resolve, reject) => {
      const onError = (e) => reject(e);
      server.once('error', onError);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', onError);
        resolve(server.address().port);
      });
    });
  const stopListening = () => new Promise((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  const dropAll = () => {
    for (const socket of open) socket.destroy();
  };

  const port = await listen(0);
  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    stats,
    resetStats,
    async cut({ mode: how = 'refuse' } = {}) {
      if (how !== 'refuse' && how !== 'hang') throw new Error(`cut: mode must be 'refuse' or 'hang', not ${JSON.stringify(how)}`);
      mode = how;
      dropAll();
      if (how === 'refuse') await stopListening();
      else if (!server.listening) await listen(port);
    },
    async restore() {
      if (!mode) return;
      const was = mode;
      mode = null;
      for (const socket of held) socket.destroy();
      if (was === 'refuse') await listen(port);
    },
    async close() {
      mode = 'closed';
      dropAll();
      await stopListening();
    },
  };
}
