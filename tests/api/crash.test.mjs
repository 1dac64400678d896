// Crash harness (STYLE.md "Tests"): writes are acknowledged only once committed. The server is
// killed with SIGKILL while writes are in flight; afterwards every acknowledged write is in the
// database, and SQLite's integrity checks (tables and the FTS5 index) pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BIN, demoDatabase, Client } from '../lib/server.mjs';

async function launch(db) {
  const portFile = join(mkdtempSync(join(tmpdir(), 'continuum-crash-')), 'port');
  const proc = spawn(BIN, ['serve', '--db', db, '--port', '0', '--port-file', portFile], { stdio: 'ignore' });
  for (let i = 0; i < 300 && !existsSync(portFile); i++) await sleep(50);
  await sleep(20);
  return { proc, url: `http://127.0.0.1:${readFileSync(portFile, 'utf8').trim()}` };
}

const sql = (db, q) => spawnSync('sqlite3', [db, q], { encoding: 'utf8' }).stdout.trim();

test('no acknowledged write is lost when the server is killed mid-write', async (t) => {
  const { db } = demoDatabase();
  const { proc, url } = await launch(db);
  const c = new Client(url);
  await c.login('formateur');
  const me = Number(sql(db, "SELECT trainer_id FROM app_user WHERE login = 'formateur'"));
  const acknowledged = [];
  const write = (i) => c.post(`/formateurs/${me}/experiences`, { csrf: c.csrf, kind: 'FC', title: `Atelier crash ${i}`, year: '2025', hours: '3' })
    .then((r) => { if (r.status === 303) acknowledged.push(`Atelier crash ${i}`); })
    .catch(() => {});
  for (let i = 0; i < 10; i++) await write(i); // these are acknowledged for sure
  const inflight = [];
  for (let i = 10; i < 110; i++) inflight.push(write(i));
  const before = acknowledged.length;
  for (let t = 0; t < 200 && acknowledged.length < before + 5; t++) await sleep(2);
  proc.kill('SIGKILL'); // writes are still arriving: some done, some cut off
  await Promise.all(inflight);
  await new Promise((res) => (proc.exitCode !== null || proc.signalCode !== null ? res() : proc.on('exit', res)));
  assert.ok(acknowledged.length >= 10, 'the first writes were acknowledged');
  t.diagnostic(`${acknowledged.length} of 110 writes acknowledged before SIGKILL`);
  assert.equal(sql(db, 'PRAGMA integrity_check'), 'ok');
  assert.equal(spawnSync('sqlite3', [db, "INSERT INTO trainer_fts(trainer_fts) VALUES('integrity-check')"]).status, 0);
  const stored = new Set(sql(db, `SELECT title FROM experience WHERE trainer_id = ${me} AND title LIKE 'Atelier crash %'`).split('\n'));
  for (const title of acknowledged) assert.ok(stored.has(title), `acknowledged write lost: ${title}`);
  // The database opens again and serves.
  const again = await launch(db);
  const r = await fetch(again.url + '/healthz');
  assert.equal(r.status, 200);
  again.proc.kill('SIGTERM');
});
