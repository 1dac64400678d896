// HTTP tests of the bureau des stages (issue 4; seed 004 §3 d) against the demo académie: the
// students' wishes window, a run, replay, an adjustment with its warning and confirmation, the
// publication, exports, and what students, tutors and other roles may see.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { demoDatabase, startServer, Client } from '../lib/server.mjs';

let srv, db;
before(async () => {
  ({ db } = demoDatabase());
  srv = await startServer(db);
});
after(async () => { await srv.stop(); });

const login = async (name) => { const c = new Client(srv.url); await c.login(name); return c; };
const optionIds = (html) => [...html.matchAll(/<option value="(\d+)"/g)].map((m) => m[1]);

async function currentPeriod(office) {
  const r = await office.get('/stages');
  assert.equal(r.status, 200);
  const m = r.text.match(/href="\/stages\/periodes\/(\d+)">M2 MEEF — stage filé 2026-2027/);
  assert.ok(m, 'the demo period is listed');
  return m[1];
}

test('a student ranks compatible places while the window is open', async () => {
  const student = await login('etudiant');
  let page = await student.get('/stages/mes-voeux');
  assert.equal(page.status, 200);
  const csrf = Client.csrfOf(page.text);
  // start from an empty list
  while (/name="op" value="remove"/.test(page.text)) {
    const r = await student.post('/stages/mes-voeux', { csrf, op: 'remove', rank: '1' });
    assert.equal(r.status, 303);
    page = await student.get('/stages/mes-voeux');
  }
  assert.match(page.text, /Ajouter un vœu/);
  const ids = [...new Set(optionIds(page.text))];
  assert.ok(ids.length >= 3);
  for (const id of ids.slice(0, 3)) {
    const r = await student.post('/stages/mes-voeux', { csrf, op: 'add', place: id });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/stages/mes-voeux?ok=voeux');
  }
  // the third moves up to second
  let r = await student.post('/stages/mes-voeux', { csrf, op: 'up', rank: '3' });
  assert.equal(r.status, 303);
  const saved = await student.get('/stages/mes-voeux?ok=voeux');
  assert.match(saved.text, /Vos vœux sont enregistrés/);
  const order = [...saved.text.matchAll(/name="rank" value="(\d+)"/g)].map((m) => m[1]);
  assert.deepEqual(order, ['1', '2', '3']);
  // a place already chosen, an unknown place, an unknown action: 400, nothing changed
  r = await student.post('/stages/mes-voeux', { csrf, op: 'add', place: ids[0] });
  assert.equal(r.status, 400);
  assert.match(r.text, /est déjà votre vœu 1/);
  r = await student.post('/stages/mes-voeux', { csrf, op: 'add', place: '999999' });
  assert.equal(r.status, 400);
  assert.match(r.text, /lieu inconnu dans cette période/);
  r = await student.post('/stages/mes-voeux', { csrf, op: 'shuffle', rank: '1' });
  assert.equal(r.status, 400);
  assert.match(r.text, /Action inconnue/);
  // chosen places are no longer offered
  assert.doesNotMatch(r.text, new RegExp(`<option value="${ids[0]}">`));
  // no CSRF token: refused
  r = await student.post('/stages/mes-voeux', { op: 'add', place: ids[3] || ids[0] });
  assert.equal(r.status, 403);
  // the bureau's pages are not theirs
  assert.equal((await student.get('/stages')).status, 403);
});

test('the bureau runs, replays, adjusts with a warning, publishes and exports', async () => {
  const office = await login('bureau.stages');
  const period = await currentPeriod(office);
  const pp = await office.get(`/stages/periodes/${period}`);
  assert.equal(pp.status, 200);
  const csrf = Client.csrfOf(pp.text);
  // bad parameters: 400 with the reasons
  let r = await office.post(`/stages/periodes/${period}/affectations`, { csrf, method: 'best', lottery: 'abc' });
  assert.equal(r.status, 400);
  assert.match(r.text, /Méthode : « stable » ou « optimal » attendu/);
  assert.match(r.text, /Tirage au sort : un nombre entier/);
  r = await office.post(`/stages/periodes/${period}/affectations`, { csrf, method: 'optimal', lottery: '2026' });
  assert.equal(r.status, 303);
  const runUrl = r.headers.get('location').replace(/\?.*/, '');
  const run = await office.get(runUrl);
  assert.equal(run.status, 200);
  assert.match(run.text, /placés sur/);
  assert.match(run.text, /<svg class="continuum-chart"/);
  const replay = await office.get(`${runUrl}?rejouer=1`);
  assert.match(replay.text, /Rejouée à l’identique/);

  // a student of the run, then their page with explanations and adjustment forms
  const sid = run.text.match(/\/etudiants\/(\d+)">/)[1];
  const sp = await office.get(`${runUrl}/etudiants/${sid}`);
  assert.equal(sp.status, 200);
  assert.match(sp.text, /Ajuster à la main/);
  // unassigning someone who had a place frees a seat they still want: a blocking pair
  const unassigned = sp.text.includes('Retirer son lieu');
  if (unassigned) {
    r = await office.post(`${runUrl}/ajustements`, { csrf, action: 'unassign', student: sid });
    assert.equal(r.status, 409);
    assert.match(r.text, /paire.? bloquante/);
    assert.match(r.text, /Confirmer malgré tout/);
    r = await office.post(`${runUrl}/ajustements`, { csrf, action: 'unassign', student: sid, confirm: '1' });
    assert.equal(r.status, 303);
    const after = await office.get(r.headers.get('location'));
    assert.match(after.text, /La modification est enregistrée/);
    assert.match(after.text, /Ajusté à la main/);
  }
  // an unknown action, an unknown student to swap with
  r = await office.post(`${runUrl}/ajustements`, { csrf, action: 'teleport', student: sid });
  assert.equal(r.status, 400);
  r = await office.post(`${runUrl}/ajustements`, { csrf, action: 'swap', student: sid, other: 'NOPE' });
  assert.equal(r.status, 400);
  assert.match(r.text, /Second étudiant inconnu/);

  // exports
  const csv = await office.get(`${runUrl}/export.csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  assert.match(csv.text, /^\ufeff?Numéro étudiant;Nom;Prénom/); // fetch's text() drops the BOM
  const xlsx = await fetch(srv.url + `${runUrl}/export.xlsx`, { headers: { cookie: office.cookieHeader() } });
  assert.equal(xlsx.status, 200);
  const bytes = new Uint8Array(await xlsx.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 4)], [0x50, 0x4b, 0x03, 0x04]);

  // the printable letters of the placed students, 50 per page
  const letters = await office.get(`${runUrl}/lettres`);
  assert.equal(letters.status, 200);
  const count = (letters.text.match(/Lettre d’affectation en stage/g) || []).length;
  assert.equal(count, 50);
  assert.match(letters.text, /Page 1 sur \d+/);

  // publication, after which the run is frozen
  r = await office.post(`${runUrl}/publication`, { csrf });
  assert.equal(r.status, 303);
  const published = await office.get(runUrl);
  assert.match(published.text, /Affectation publiée/);
  r = await office.post(`${runUrl}/ajustements`, { csrf, action: 'unassign', student: sid, confirm: '1' });
  assert.equal(r.status, 409);
  assert.match(r.text, /publiée/);
  r = await office.post(`${runUrl}/publication`, { csrf });
  assert.equal(r.status, 409);

  // the journal holds the run, the adjustment and the publication
  const admin = await login('admin');
  const journal = await admin.get('/journal');
  assert.match(journal.text, /placement\.run/);
  assert.match(journal.text, /placement\.publish/);
});

test('after publication: the student sees their placement and why; tutors see trainees', async () => {
  const student = await login('etudiant');
  const mine = await student.get('/stages/mon-stage');
  assert.equal(mine.status, 200);
  assert.match(mine.text, /M1 MEEF — stage massé 2025-2026/);
  assert.match(mine.text, /Pourquoi pas mes vœux mieux classés/);
  const letter = mine.text.match(/href="(\/stages\/affectations\/\d+\/lettres\/\d+)"/);
  if (letter) {
    const l = await student.get(letter[1]);
    assert.equal(l.status, 200);
    assert.match(l.text, /Lettre d’affectation en stage/);
    // another student's letter: refused
    const other = letter[1].replace(/\d+$/, (n) => String(Number(n) + 1));
    assert.equal((await student.get(other)).status, 403);
  }
  if (letter)
    assert.equal((await student.get(letter[1].replace(/\/\d+$/, ''))).status, 403); // the batch
  const tutor = await login('formateur');
  const t = await tutor.get('/stages/stagiaires');
  assert.equal(t.status, 200);
  assert.match(t.text, /<tbody>/);
  const chef = await login('chef.etab');
  const c = await chef.get('/stages/stagiaires');
  assert.equal(c.status, 200);
  assert.match(c.text, /<tbody>/);
  // a coordinator reads the bureau's pages but cannot run or publish
  const coord = await login('coordination');
  assert.equal((await coord.get('/stages')).status, 200);
  const period = await currentPeriod(coord);
  const r = await coord.post(`/stages/periodes/${period}/affectations`, { csrf: coord.csrf, method: 'stable' });
  assert.equal(r.status, 403);
});

test('the wishes window closes for students, not for the bureau', async () => {
  const office = await login('bureau.stages');
  const period = await currentPeriod(office);
  let r = await office.post(`/stages/periodes/${period}/fenetre`, { csrf: office.csrf, wishes_open_at: '01/09/2026', wishes_close_at: '31/08/2026' });
  assert.equal(r.status, 400);
  assert.match(r.text, /postérieure à leur ouverture/);
  r = await office.post(`/stages/periodes/${period}/fenetre`, { csrf: office.csrf, wishes_open_at: '01/01/2020', wishes_close_at: '02/01/2020' });
  assert.equal(r.status, 303);
  const student = await login('etudiant');
  const page = await student.get('/stages/mes-voeux');
  assert.match(page.text, /La saisie des vœux est close|publiées/);
  assert.doesNotMatch(page.text, /Ajouter ce vœu/);
});

test('creating a period: every bad field gets its French message, nothing is created', async () => {
  const office = await login('bureau.stages');
  const before = (await office.get('/stages')).text.match(/href="\/stages\/periodes\/\d+"/g).length;
  let r = await office.post('/stages/periodes', { csrf: office.csrf, code: 'é x', label: '', cohort: 'M9', kind: 'long',
    starts_on: '31/02/2027', ends_on: '2027-01-01', wishes_open_at: '02/01/2027', wishes_close_at: '01/01/2027', max_wishes: '99' });
  assert.equal(r.status, 400);
  for (const m of [/Code : 1 à 40 lettres/, /Intitulé : obligatoire/, /Cohorte : L2, L3, M1 ou M2/, /Type de stage/,
    /Début : date JJ\/MM\/AAAA attendue/, /Nombre de vœux : de 1 à 30/]) assert.match(r.text, m);
  r = await office.post('/stages/periodes', { csrf: office.csrf, code: '2027-l3', label: 'L3 — préprofessionnalisation 2027',
    cohort: 'L3', kind: 'preprof', starts_on: '2027-01-04', ends_on: '2027-02-26', wishes_open_at: '2026-11-01', wishes_close_at: '2026-12-15', max_wishes: '5' });
  assert.equal(r.status, 303);
  const page = await office.get(r.headers.get('location'));
  assert.match(page.text, /du 04\/01\/2027 au 26\/02\/2027/);
  // the same code again
  r = await office.post('/stages/periodes', { csrf: office.csrf, code: '2027-l3', label: 'Encore', cohort: 'L3', kind: 'preprof',
    starts_on: '2027-01-04', ends_on: '2027-02-26', wishes_open_at: '2026-11-01', wishes_close_at: '2026-12-15', max_wishes: '5' });
  assert.equal(r.status, 400);
  assert.match(r.text, /est déjà pris/);
  const after = (await office.get('/stages')).text.match(/href="\/stages\/periodes\/\d+"/g).length;
  assert.equal(after, before + 1);
  // unknown ids: 404 pages, not errors
  assert.equal((await office.get('/stages/periodes/999999')).status, 404);
  assert.equal((await office.get('/stages/affectations/999999')).status, 404);
  assert.equal((await office.get('/stages/affectations/999999/etudiants/1')).status, 404);
});
