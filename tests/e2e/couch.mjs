// The team-sync tests' server, as `cargo xtask test` (or `cargo xtask with-couch`)
// hands it over: AA_COUCH_URL (server root), AA_COUCH_ADMIN (user:password),
// AA_COUCH_DB (the database it prepared), or AA_COUCH_ERROR when it could not
// start one. The test users and passwords are xtask/src/testcouch.rs's.

/** name -> password of the test users (alice, bob, carol: article-annotator; dana: also adjudicator; eve: no role). */
export const USERS = { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw', dana: 'dana-pw', eve: 'eve-pw' };

/**
 * The server, or `{ skip }` with the reason to skip (run outside cargo xtask), or
 * throws when xtask said it has none (the sync tests then fail, never pass silently).
 */
export function couchServer() {
  const url = process.env.AA_COUCH_URL;
  if (!url) {
    if (process.env.AA_COUCH_ERROR) throw new Error(`no CouchDB test server: ${process.env.AA_COUCH_ERROR}`);
    return { skip: 'skipped: no AA_COUCH_URL (run through cargo xtask test, or cargo xtask with-couch node --test FILE)' };
  }
  const admin = process.env.AA_COUCH_ADMIN || '';
  const colon = admin.indexOf(':');
  if (colon < 1) throw new Error(`AA_COUCH_ADMIN must be user:password, not ${JSON.stringify(admin)}`);
  return {
    url: url.endsWith('/') ? url : `${url}/`,
    db: process.env.AA_COUCH_DB || 'newsroom',
    admin: { name: admin.slice(0, colon), password: admin.slice(colon + 1) },
  };
}

/**
 * One JSON request; `as` is `{ name, password }`, a test user's name, or null
 * (anonymous). Resolves to `{ status, body }` with the body parsed when it is JSON.
 */
export async function couchRequest(server, method, path, { as = null, body } = {}) {
  const user = typeof as === 'string' ? { name: as, password: USERS[as] } : as;
  const headers = { Accept: 'application/json' };
  if (user) headers.Authorization = `Basic ${Buffer.from(`${user.name}:${user.password}`).toString('base64')}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(new URL(path.replace(/^\//, ''), server.url), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed };
}
