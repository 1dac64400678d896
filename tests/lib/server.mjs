// Test harness shared by the HTTP and browser tests: builds a demo database once per process,
// starts the real `continuum serve` (the sanitizer build in `make check`) on a free loopback
// port, and offers a tiny HTTP client with a cookie jar and CSRF helpers.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const BIN = process.env.CONTINUUM_BIN || new URL('../../build-check/continuum', import.meta.url).pathname;
export const DEMO_PASSWORD = 'continuum-demo';

/** Runs the CLI synchronously; returns {status, stdout, stderr}. */
export function cli(args, input) {
  const r = spawnSync(BIN, args, { input, encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh database with the demo académie (seed 1). */
export function demoDatabase() {
  const dir = mkdtempSync(join(tmpdir(), 'continuum-test-'));
  const db = join(dir, 'test.db');
  const r = cli(['demo-data', '--db', db, '--scale', 'academie', '--seed', '1']);
  if (r.status !== 0) throw new Error(`demo-data failed: ${r.stderr}`);
  return { dir, db };
}

/** Starts a server on a free port; resolves to {url, stop(), db, log()}. */
export async function startServer(db) {
  const dir = mkdtempSync(join(tmpdir(), 'continuum-srv-'));
  const portFile = join(dir, 'port');
  const proc = spawn(BIN, ['serve', '--db', db, '--port', '0', '--port-file', portFile, '--threads', '4'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  for (let i = 0; i < 300 && !existsSync(portFile); i++) await sleep(50);
  if (!existsSync(portFile)) {
    proc.kill('SIGKILL');
    throw new Error(`server did not start: ${log}`);
  }
  await sleep(20);
  const port = readFileSync(portFile, 'utf8').trim();
  const exited = new Promise((res) => proc.on('exit', (code, sig) => res({ code, sig })));
  return {
    url: `http://127.0.0.1:${port}`,
    log: () => log,
    async stop() {
      proc.kill('SIGTERM');
      const r = await exited;
      rmSync(dir, { recursive: true, force: true });
      // A sanitizer report makes the server exit non-zero: that fails the suite.
      if (r.code !== 0) throw new Error(`server exited with ${r.code ?? r.sig}: ${log.slice(-4000)}`);
    },
  };
}

/** A browser-like client: follows nothing, keeps cookies. */
export class Client {
  constructor(base) {
    this.base = base;
    this.cookies = new Map();
  }
  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async req(method, path, { body, headers = {} } = {}) {
    const h = { ...headers };
    if (this.cookies.size) h.cookie = this.cookieHeader();
    const res = await fetch(this.base + path, { method, body, headers: h, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const k = pair.slice(0, i), v = pair.slice(i + 1);
      if (v === '' || /Max-Age=0/.test(c)) this.cookies.delete(k); else this.cookies.set(k, v);
    }
    const text = await res.text();
    return { status: res.status, headers: res.headers, text };
  }
  get(path, opts) { return this.req('GET', path, opts); }
  /** Posts an url-encoded form (fields: object or array of [k, v]). */
  post(path, fields, opts = {}) {
    const body = new URLSearchParams(fields).toString();
    return this.req('POST', path, { ...opts, body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...(opts.headers || {}) } });
  }
  /** The CSRF token of the first form of an HTML page. */
  static csrfOf(html) {
    const m = html.match(/name="csrf" value="([0-9a-f]+)"/);
    return m ? m[1] : null;
  }
  async login(login, password = DEMO_PASSWORD) {
    const form = await this.get('/connexion');
    const csrf = Client.csrfOf(form.text);
    const r = await this.post('/connexion', { csrf, login, password });
    if (r.status !== 303) throw new Error(`login ${login} failed: ${r.status}`);
    const home = await this.get('/');
    this.csrf = Client.csrfOf(home.text);
    return home;
  }
}

/** A bearer token for a demo login. */
export function tokenFor(db, login) {
  const r = cli(['token', 'create', '--db', db, '--login', login]);
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}
