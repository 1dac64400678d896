// HTTP tests of the bureau des stages' CSV import (/stages/periodes/{id}/import) against the real
// server: a period created with `continuum period add`, a places file with one bad row (the
// error table, nothing imported), the good file (the counts), the same file again (codes taken),
// students, the CSRF part, and the roles allowed to import.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { demoDatabase, startServer, Client, tokenFor, cli } from '../lib/server.mjs';

let srv, db, periodId, uai;

before(async () => {
  ({ db } = demoDatabase());
  const r = cli(['period', 'add', '--db', db, '--code', 'test-import-2026', '--label', 'M2 MEEF, stage filé (test d’import)',
    '--cohort', 'M2', '--kind', 'file', '--starts', '2026-09-01', '--ends', '2027-06-30',
    '--open', '2026-05-01', '--close', '2026-05-31', '--max-wishes', '5']);
  assert.equal(r.status, 0, r.stderr);
  periodId = Number(r.stdout.trim());
  assert.ok(periodId > 0);
  // The UAI of the demo's head of establishment (a collège): a real establishment for the places.
  const token = tokenFor(db, 'chef.etab');
  srv = await startServer(db);
  const me = await (await fetch(srv.url + '/api/v1/me', { headers: { authorization: `Bearer ${token}` } })).json();
  uai = me.scope_value;
  assert.match(uai, /^[0-9]{7}[A-Z]$/);
});

after(async () => { await srv.stop(); });

const path = () => `/stages/periodes/${periodId}/import`;

/** Uploads a CSV as a browser would (multipart/form-data). */
async function upload(c, csv, { kind = 'places', partial = false, csrf = c.csrf, to = path() } = {}) {
  const form = new FormData();
  if (csrf) form.append('csrf', csrf);
  if (kind) form.append('kind', kind);
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'lieux.csv');
  if (partial) form.append('partial', '1');
  const res = await fetch(srv.url + to, { method: 'POST', body: form, headers: { cookie: c.cookieHeader() }, redirect: 'manual' });
  return { status: res.status, text: await res.text() };
}

const header = 'code;uai;niveau;tuteur;courriel_tuteur;capacite;degre;discipline;site\r\n';
const good = () => '\uFEFF' + header +
  `IMP-5A;${uai};5e;M. Martin;martin@ac-lyon.fr;2;2D;mathematiques;Rhône\r\n` +
  `IMP-4B;${uai};4e;Mme Petit;;1;2D;mathematiques;rhone\r\n`;

test('the import page shows the period and an upload form with its CSRF token', async () => {
  const c = new Client(srv.url);
  await c.login('bureau.stages');
  const r = await c.get(path());
  assert.equal(r.status, 200);
  assert.match(r.text, /stage filé \(test d’import\)/);
  assert.match(r.text, /enctype="multipart\/form-data"/);
  assert.match(r.text, /name="kind" value="places"/);
  assert.match(r.text, /name="kind" value="students"/);
  assert.ok(Client.csrfOf(r.text));
  assert.equal((await c.get('/stages/periodes/999999/import')).status, 404);
});

test('places: a bad row is reported by line and column and nothing is imported; then the good file', async () => {
  const c = new Client(srv.url);
  await c.login('bureau.stages');
  const bad = header +
    `IMP-5A;${uai};5e;M. Martin;;2;2D;mathematiques;rhone\r\n` +
    `IMP-4B;${uai};4e;<script>alert(1)</script>;;beaucoup;2D;mathematiques;rhone\r\n`;
  const r = await upload(c, bad);
  assert.equal(r.status, 400);
  assert.match(r.text, /Rien n’a été importé/);
  assert.match(r.text, /<td>3<\/td><td><code>capacite<\/code><\/td><td>Capacité : nombre entier attendu, pas « beaucoup »/);
  assert.ok(!r.text.includes('<script>alert(1)'));
  // Nothing was written: the good file, whose first row is the same, now goes in whole.
  const ok = await upload(c, good());
  assert.equal(ok.status, 200, ok.text);
  assert.match(ok.text, /Import terminé/);
  assert.match(ok.text, /2 lieu\(x\) de stage importé\(s\) sur 2 ligne\(s\)/);
  // The same file again: every code is taken in the period.
  const again = await upload(c, good(), { partial: true });
  assert.equal(again.status, 400);
  assert.match(again.text, /<td>2<\/td><td><code>code<\/code><\/td><td>Code : « IMP-5A » est déjà pris dans cette période/);
  assert.match(again.text, /<td>3<\/td>/);
});

test('students: partial mode imports the good rows and lists the bad ones', async () => {
  const c = new Client(srv.url);
  await c.login('bureau.stages');
  const csv = 'code;nom;prenom;degre;discipline;site;priorite\n' +
    'IMP-E1;Arnaud;Maëlle;2D;mathematiques;Loire;2\n' +
    'IMP-E2;Béral;Yanis;3D;mathematiques;loire;\n' +
    'IMP-E3;Caron;Zoé;2D;mathematiques;ain;\n';
  const r = await upload(c, csv, { kind: 'students', partial: true });
  assert.equal(r.status, 200, r.text);
  assert.match(r.text, /2 étudiant\(s\) importé\(s\) sur 3 ligne\(s\)/);
  assert.match(r.text, /1 ligne\(s\) en erreur/);
  assert.match(r.text, /<td>3<\/td><td><code>degre<\/code><\/td><td>Degré : 1D ou 2D attendu, pas « 3D »/);
});

test('the upload needs its CSRF token, a kind and a file', async () => {
  const c = new Client(srv.url);
  await c.login('bureau.stages');
  const csv = header + `IMP-X;${uai};5e;M. X;;1;2D;mathematiques;rhone\r\n`;
  assert.equal((await upload(c, csv, { csrf: null })).status, 403);
  assert.equal((await upload(c, csv, { csrf: 'f'.repeat(64) })).status, 403);
  const noKind = await upload(c, csv, { kind: null });
  assert.equal(noKind.status, 400);
  assert.match(noKind.text, /lieux de stage ou des étudiants/);
  const empty = await upload(c, '');
  assert.equal(empty.status, 400);
  assert.match(empty.text, /Le fichier envoyé est vide/);
  // None of these imported IMP-X: it goes in now.
  const ok = await upload(c, csv);
  assert.equal(ok.status, 200);
  assert.match(ok.text, /1 lieu\(x\) de stage importé\(s\)/);
});

test('roles: a student and a coordinator cannot import', async () => {
  const csv = header + `IMP-Y;${uai};5e;M. Y;;1;2D;mathematiques;rhone\r\n`;
  for (const login of ['etudiant', 'coordination']) {
    const c = new Client(srv.url);
    await c.login(login);
    assert.equal((await c.get(path())).status, 403, login);
    assert.equal((await upload(c, csv)).status, 403, login);
  }
  // IMP-Y was not imported by them.
  const b = new Client(srv.url);
  await b.login('bureau.stages');
  const ok = await upload(b, csv);
  assert.equal(ok.status, 200);
});
