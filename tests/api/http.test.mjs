// HTTP tests against the real server on a free loopback port (issue 3, "Tests in make check"):
// login, CSRF, roles and scopes, the trainers API, and bad inputs that must get a 4xx with a
// French message and change nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { demoDatabase, startServer, Client, tokenFor, cli } from '../lib/server.mjs';

let srv, db, coordToken, studentToken, inspectorToken;

before(async () => {
  ({ db } = demoDatabase());
  coordToken = tokenFor(db, 'coordination');
  studentToken = tokenFor(db, 'etudiant');
  inspectorToken = tokenFor(db, 'inspecteur');
  srv = await startServer(db);
});

after(async () => { await srv.stop(); });

const api = (path, token, opts = {}) =>
  fetch(srv.url + path, { ...opts, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(opts.headers || {}) } });

test('healthz answers ok', async () => {
  const r = await fetch(srv.url + '/healthz');
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), { status: 'ok' });
});

test('pages carry security headers', async () => {
  const r = await fetch(srv.url + '/connexion');
  assert.match(r.headers.get('content-security-policy'), /default-src 'self'/);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
});

test('anonymous pages redirect to the login page', async () => {
  const c = new Client(srv.url);
  const r = await c.get('/formateurs');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/connexion');
});

test('login: wrong password refused in French, right one opens an HttpOnly session', async () => {
  const c = new Client(srv.url);
  const form = await c.get('/connexion');
  const csrf = Client.csrfOf(form.text);
  const bad = await c.post('/connexion', { csrf, login: 'coordination', password: 'mauvais-mot-de-passe' });
  assert.equal(bad.status, 401);
  assert.match(bad.text, /Identifiant ou mot de passe incorrect/);
  const form2 = await c.get('/connexion');
  const ok = await c.post('/connexion', { csrf: Client.csrfOf(form2.text), login: 'coordination', password: 'continuum-demo' });
  assert.equal(ok.status, 303);
  const cookie = ok.headers.getSetCookie().find((s) => s.startsWith('continuum_session='));
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  const home = await c.get('/');
  assert.equal(home.status, 200);
  assert.match(home.text, /Équipe de coordination/);
});

test('session cookies are Secure except on a loopback host name', async () => {
  // fetch() may not set Host: node:http can.
  const raw = (method, path, headers, body) => new Promise((resolve, reject) => {
    const u = new URL(srv.url);
    const req = http.request({ host: u.hostname, port: u.port, method, path, headers }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
  const login = async (host) => {
    const form = await raw('GET', '/connexion', { host });
    const pre = form.headers['set-cookie'][0].split(';')[0];
    const body = new URLSearchParams({ csrf: Client.csrfOf(form.text), login: 'copil', password: 'continuum-demo' }).toString();
    const r = await raw('POST', '/connexion', { host, cookie: pre, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) }, body);
    return (r.headers['set-cookie'] || []).find((c) => c.startsWith('continuum_session=')) || '';
  };
  assert.doesNotMatch(await login('127.0.0.1:8080'), /Secure/);
  assert.match(await login('127.0.0.1.example.org'), /; Secure/);
  assert.match(await login('continuum.ac-lyon.example'), /; Secure/);
});

test('login without the CSRF token is refused', async () => {
  const c = new Client(srv.url);
  await c.get('/connexion');
  const r = await c.post('/connexion', { login: 'coordination', password: 'continuum-demo' });
  assert.equal(r.status, 403);
  assert.match(r.text, /CSRF/);
  assert.equal(c.cookies.has('continuum_session'), false);
});

test('a state-changing form with a wrong CSRF token changes nothing', async () => {
  const c = new Client(srv.url);
  await c.login('inspecteur');
  const queue = await (await api('/api/v1/validations', inspectorToken)).json();
  const item = queue.items[0];
  const path = `/formateurs/${item.trainer_id}/competences/${item.competence_id}/decision`;
  const r = await c.post(path, { csrf: '0'.repeat(64), decision: 'validated', back: 'queue' });
  assert.equal(r.status, 403);
  const after = await (await api('/api/v1/validations', inspectorToken)).json();
  assert.equal(after.total, queue.total);
});

test('logout ends the session server-side', async () => {
  const c = new Client(srv.url);
  await c.login('coordination');
  const saved = c.cookieHeader();
  const r = await c.post('/deconnexion', { csrf: c.csrf });
  assert.equal(r.status, 303);
  const replay = await fetch(srv.url + '/', { headers: { cookie: saved }, redirect: 'manual' });
  assert.equal(replay.status, 303);
});

test('roles: a student cannot search the map, a trainer cannot validate', async () => {
  const s = new Client(srv.url);
  await s.login('etudiant');
  assert.equal((await s.get('/formateurs')).status, 403);
  const t = new Client(srv.url);
  await t.login('formateur');
  const v = await t.get('/validations');
  assert.equal(v.status, 403);
  assert.match(v.text, /rôle ne permet pas/);
  const r = await api('/api/v1/trainers', studentToken);
  assert.equal(r.status, 403);
  assert.match(r.headers.get('content-type'), /application\/problem\+json/);
});

test('scope: a trainer edits their own profile only', async () => {
  const t = new Client(srv.url);
  await t.login('formateur');
  const me = await (await api('/api/v1/me', tokenFor(db, 'formateur'))).json();
  assert.ok(me.trainer_id > 0);
  const other = me.trainer_id === 1 ? 2 : 1;
  assert.equal((await t.get(`/formateurs/${other}/modifier`)).status, 403);
  const form = await t.get(`/formateurs/${me.trainer_id}/modifier`);
  assert.equal(form.status, 200);
  const r = await t.post(`/formateurs/${other}/modifier`, { csrf: Client.csrfOf(form.text), last_name: 'Pirate', first_name: 'X', degree: '1D', discipline: 'polyvalent', site: 'ain' });
  assert.equal(r.status, 403);
  const still = await (await api(`/api/v1/trainers/${other}`, coordToken)).json();
  assert.notEqual(still.last_name, 'Pirate');
});

test('a trainer adds and removes an experience; bad values get French messages', async () => {
  const t = new Client(srv.url);
  await t.login('formateur');
  const me = await (await api('/api/v1/me', tokenFor(db, 'formateur'))).json();
  const bad = await t.post(`/formateurs/${me.trainer_id}/experiences`, { csrf: t.csrf, kind: 'stage', title: 'x', year: '1890' });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /Type d’expérience/);
  assert.match(bad.text, /Année : de 1980/);
  const ok = await t.post(`/formateurs/${me.trainer_id}/experiences`, { csrf: t.csrf, kind: 'projet', title: 'Accompagnement du projet « Jardins partagés »', year: '2025', hours: '18' });
  assert.equal(ok.status, 303);
  const profile = await (await api(`/api/v1/trainers/${me.trainer_id}`, coordToken)).json();
  const exp = profile.experiences.find((x) => x.title.includes('Jardins partagés'));
  assert.ok(exp);
  const other = me.trainer_id === 1 ? 2 : 1;
  assert.equal((await t.post(`/formateurs/${other}/experiences/${exp.id}/suppression`, { csrf: t.csrf })).status, 403);
  assert.equal((await t.post(`/formateurs/${me.trainer_id}/experiences/${exp.id}/suppression`, { csrf: t.csrf })).status, 303);
  const after = await (await api(`/api/v1/trainers/${me.trainer_id}`, coordToken)).json();
  assert.ok(!after.experiences.some((x) => x.id === exp.id));
});

test('HTML and script typed by a user come back escaped', async () => {
  const t = new Client(srv.url);
  await t.login('formateur');
  const me = await (await api('/api/v1/me', tokenFor(db, 'formateur'))).json();
  const cur = await (await api(`/api/v1/trainers/${me.trainer_id}`, coordToken)).json();
  const form = await t.get(`/formateurs/${me.trainer_id}/modifier`);
  const evil = `<script>alert("x")</script><img src=x onerror=alert(1)> & 'q'`;
  const fields = [['csrf', Client.csrfOf(form.text)], ['last_name', cur.last_name], ['first_name', cur.first_name],
    ['email', cur.email], ['degree', cur.degree], ['discipline', cur.discipline], ['site', cur.site],
    ['hours_quota', String(cur.hours_quota)], ['bio', evil], ['weekdays', 'lundi']];
  const r = await t.post(`/formateurs/${me.trainer_id}/modifier`, fields);
  assert.equal(r.status, 303);
  const page = await t.get(`/formateurs/${me.trainer_id}`);
  assert.ok(!page.text.includes('<script>alert'));
  assert.ok(!page.text.includes('<img src=x'));
  assert.ok(page.text.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
  // The change is in the audit log, readable by the coordinator.
  const c = new Client(srv.url);
  await c.login('coordination');
  const audit = await c.get('/journal');
  assert.equal(audit.status, 200);
  assert.match(audit.text, /trainer\.update/);
  assert.ok(!audit.text.includes('<script>alert'));
});

test('result cards mark only validated competences, whatever the filters', async () => {
  const c = new Client(srv.url);
  await c.login('coordination');
  const r = await c.get('/formateurs?validated=1&site=rhone');
  assert.equal(r.status, 200);
  const tags = [...r.text.matchAll(/<p class="fr-tag fr-tag--sm([^"]*)">([^<]*)<\/p>/g)];
  assert.ok(tags.length > 0);
  const plain = tags.filter((m) => m[1] === '');
  const marked = tags.filter((m) => m[1].includes('continuum-tag--validated'));
  assert.ok(plain.length > 0, 'declared competences are shown without the validated mark');
  assert.ok(marked.length > 0);
  assert.ok(plain.every((m) => !m[2].includes('✓')));
});

test('the search page lists research partners whose expertise matches', async () => {
  const c = new Client(srv.url);
  await c.login('coordination');
  const r = await c.get('/formateurs?q=' + encodeURIComponent('éducation inclusive'));
  assert.equal(r.status, 200);
  assert.match(r.text, /Partenaires de la recherche/);
  assert.match(r.text, /ISPEF/);
});

test('API: no token or a bad token gets 401 problem+json in French', async () => {
  for (const token of [null, 'ctm_' + 'f'.repeat(64), 'garbage']) {
    const r = await api('/api/v1/trainers', token);
    assert.equal(r.status, 401);
    assert.match(r.headers.get('content-type'), /application\/problem\+json/);
    const p = await r.json();
    assert.equal(p.status, 401);
    assert.match(p.detail, /Jeton/);
  }
});

test('API: search in French finds "inclusion" from "inclusive", with filters and paging', async () => {
  const r = await api('/api/v1/trainers?q=inclusive&per_page=5', coordToken);
  assert.equal(r.status, 200);
  const body = await r.json();
  assert.ok(body.total > 0);
  assert.equal(body.items.length, Math.min(5, body.total));
  for (const k of ['id', 'name', 'institution', 'degree', 'discipline', 'site', 'competences'])
    assert.ok(k in body.items[0], k);
  const f = await (await api('/api/v1/trainers?degree=1D&site=rhone&weekday=mercredi&validated=1&page=2&per_page=10', coordToken)).json();
  assert.ok(f.items.every((t) => t.degree === '1D' && t.site === 'rhone'));
  const accents = await (await api('/api/v1/trainers?q=' + encodeURIComponent('ÉDUCATION'), coordToken)).json();
  const plain = await (await api('/api/v1/trainers?q=education', coordToken)).json();
  assert.equal(accents.total, plain.total);
  assert.ok(plain.total > 0);
});

test('API: each bad parameter gets 400 problem+json naming it', async () => {
  const cases = ['degree=4D', 'site=paris', 'weekday=dimanche', 'validated=peut-etre', 'page=0', 'per_page=1000', 'page=abc', 'discipline=alchimie', 'tri=nom'];
  for (const q of cases) {
    const r = await api('/api/v1/trainers?' + q, coordToken);
    assert.equal(r.status, 400, q);
    assert.match(r.headers.get('content-type'), /application\/problem\+json/);
    const p = await r.json();
    assert.ok(p.detail.length > 0);
    assert.ok(Array.isArray(p.errors) && p.errors.length === 1, q);
  }
});

test('bad inputs: SQL injection strings are plain data', async () => {
  const before = await (await api('/api/v1/trainers?per_page=1', coordToken)).json();
  for (const q of ["' OR 1=1 --", '"; DROP TABLE trainer; --', 'x") OR ("a"="a', 'NEAR(a b)', '*', 'AND OR NOT']) {
    const r = await api('/api/v1/trainers?q=' + encodeURIComponent(q), coordToken);
    assert.ok(r.status === 200 || r.status === 400, `${q}: ${r.status}`);
    await r.json();
  }
  const r = await api('/api/v1/trainers?degree=' + encodeURIComponent("1D' OR '1'='1"), coordToken);
  assert.equal(r.status, 400);
  const afterAll = await (await api('/api/v1/trainers?per_page=1', coordToken)).json();
  assert.equal(afterAll.total, before.total);
});

test('bad inputs: invalid UTF-8 gets 400 in French', async () => {
  const r = await api('/api/v1/trainers?q=%C3%28', coordToken);
  assert.equal(r.status, 400);
  assert.match((await r.json()).detail, /UTF-8/);
  const c = new Client(srv.url);
  await c.login('coordination');
  const p = await c.req('POST', '/deconnexion', { body: `csrf=${c.csrf}&x=%FF%FE`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(p.status, 400);
  assert.match(p.text, /UTF-8/);
});

test('bad inputs: an oversized body gets 413 and changes nothing', async () => {
  const c = new Client(srv.url);
  await c.login('coordination');
  const big = 'bio=' + 'a'.repeat(200 * 1024);
  const r = await c.req('POST', '/deconnexion', { body: `csrf=${c.csrf}&${big}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 413);
  assert.equal((await c.get('/')).status, 200); // still logged in: the logout did not happen
  const j = await api('/api/v1/trainers/1/competences/1/decision', inspectorToken, { method: 'POST', body: '{"decision":"' + 'x'.repeat(100 * 1024) + '"}', headers: { 'content-type': 'application/json' } });
  assert.equal(j.status, 413);
});

test('API search results follow every change (no stale cached answer)', async () => {
  const queue = await (await api('/api/v1/validations', inspectorToken)).json();
  const item = queue.items[queue.items.length - 1];
  const me = await (await api(`/api/v1/trainers/${item.trainer_id}`, coordToken)).json();
  const q = `/api/v1/trainers?q=${encodeURIComponent(me.last_name + ' ' + me.first_name)}`;
  const count = async () => {
    const body = await (await api(q, coordToken)).json();
    const t = body.items.find((x) => x.id === item.trainer_id);
    return t ? t.competences.filter((c) => c.state === 'validated').length : 0;
  };
  const before = await count();
  assert.ok(before >= 0);
  const first = await (await api(q, coordToken)).json();
  assert.ok(first.items.some((x) => x.id === item.trainer_id), 'the trainer is found by name');
  assert.equal(await count(), before); // the same answer twice (the second from the cache)
  const r = await api(`/api/v1/trainers/${item.trainer_id}/competences/${item.competence_id}/decision`, inspectorToken,
    { method: 'POST', body: '{"decision":"validated"}', headers: { 'content-type': 'application/json' } });
  assert.equal(r.status, 200);
  assert.equal(await count(), before + 1);
});

test('the validation queue filters by discipline and site', async () => {
  const all = await (await api('/api/v1/validations', inspectorToken)).json();
  const rhone = await (await api('/api/v1/validations?site=rhone', inspectorToken)).json();
  assert.ok(rhone.total > 0 && rhone.total < all.total);
  assert.ok(rhone.items.every((x) => x.site === 'Rhône'));
  const bad = await api('/api/v1/validations?discipline=alchimie', inspectorToken);
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).detail, /Discipline/);
  const c = new Client(srv.url);
  await c.login('inspecteur');
  const page = await c.get('/validations?site=loire&discipline=mathematiques');
  assert.equal(page.status, 200);
  assert.match(page.text, /<option value="loire" selected>/);
  assert.equal((await c.get('/validations?site=lune')).status, 400);
});

test('API decision: validate, conflict on a second decision, 422 without a reason to refuse', async () => {
  const queue = await (await api('/api/v1/validations', inspectorToken)).json();
  assert.ok(queue.items.length >= 2);
  const [a, b] = queue.items;
  const url = (it) => `/api/v1/trainers/${it.trainer_id}/competences/${it.competence_id}/decision`;
  const post = (it, body) => api(url(it), inspectorToken, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const ok = await post(a, { decision: 'validated' });
  assert.equal(ok.status, 200);
  const again = await post(a, { decision: 'refused', reason: 'Trop tard' });
  assert.equal(again.status, 409);
  const noReason = await post(b, { decision: 'refused' });
  assert.equal(noReason.status, 422);
  assert.match((await noReason.json()).detail, /Motif/);
  const badJson = await api(url(b), inspectorToken, { method: 'POST', body: '{"decision":', headers: { 'content-type': 'application/json' } });
  assert.equal(badJson.status, 400);
  const coord = await post(b, { decision: 'validated' }).then(() => api(url(b), coordToken, { method: 'POST', body: '{"decision":"validated"}' }));
  assert.equal(coord.status, 403);
});

test('failed logins are slowed down per login', async () => {
  const c = new Client(srv.url);
  let last;
  for (let i = 0; i < 7; i++) {
    const form = await c.get('/connexion');
    last = await c.post('/connexion', { csrf: Client.csrfOf(form.text), login: 'recherche', password: 'faux-' + i });
  }
  assert.equal(last.status, 429);
  assert.match(last.text, /réessayez dans/);
});

test('unknown pages and methods get French 404/405', async () => {
  const c = new Client(srv.url);
  await c.login('coordination');
  const r = await c.get('/nulle-part');
  assert.equal(r.status, 404);
  assert.match(r.text, /n’existe pas/);
  const m = await api('/api/v1/trainers', coordToken, { method: 'DELETE' });
  assert.equal(m.status, 405);
  const nf = await api('/api/v1/trainers/999999999', coordToken);
  assert.equal(nf.status, 404);
});

test('CLI: exit codes 0 / 1 / 2 and --help', () => {
  assert.equal(cli(['--help']).status, 0);
  assert.equal(cli(['serve', '--help']).status, 0);
  assert.equal(cli(['frobnicate']).status, 2);
  assert.equal(cli(['init']).status, 2);
  assert.equal(cli(['user', 'add', '--db', db, '--login', 'x1', '--role', 'king'], 'motdepasse-long\n').status, 2);
  assert.equal(cli(['user', 'add', '--db', db, '--login', 'coordination', '--role', 'coordinator'], 'motdepasse-long\n').status, 1);
  assert.equal(cli(['token', 'create', '--db', db, '--login', 'inconnu']).status, 1);
});

/** Uploads a CSV to the import page as a browser would (multipart/form-data). */
async function importCsv(c, csv, { partial = false, csrf = c.csrf } = {}) {
  const form = new FormData();
  if (csrf) form.append('csrf', csrf);
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'formateurs.csv');
  if (partial) form.append('partial', '1');
  const res = await fetch(srv.url + '/formateurs/import', { method: 'POST', body: form, headers: { cookie: c.cookieHeader() }, redirect: 'manual' });
  return { status: res.status, text: await res.text() };
}

const total = async () => (await (await api('/api/v1/trainers?per_page=1', coordToken)).json()).total;

test('import: bad rows are reported by line and nothing is imported', async () => {
  const c = new Client(srv.url);
  await c.login('coordination');
  const before = await total();
  const csv = '\uFEFFnom;prenom;institution;corps;degre;discipline;site;jours;quota_heures;competences\r\n' +
    'Arnaud;Maëlle;rectorat;pemf;1D;polyvalent;rhone;mercredi;40;\r\n' +
    'Béral;Yanis;rectorat;pemf;4D;polyvalent;rhone;;40;\r\n' +
    '"<script>alert(1)</script>";Zoé;inconnue;pemf;1D;polyvalent;Mars;;;\r\n';
  const r = await importCsv(c, csv);
  assert.equal(r.status, 400);
  assert.match(r.text, /\b3\b/); // line of the bad degree
  assert.match(r.text, /\b4\b/);
  assert.ok(!r.text.includes('<script>alert(1)'));
  assert.equal(await total(), before);
  // The user asks to import the good rows: only Arnaud comes in.
  const p = await importCsv(c, csv, { partial: true });
  assert.equal(p.status, 200);
  assert.equal(await total(), before + 1);
  const found = await (await api('/api/v1/trainers?q=Arnaud+Maelle', coordToken)).json();
  assert.equal(found.total, 1);
});

test('import: the upload needs its CSRF token and the importer role', async () => {
  const c = new Client(srv.url);
  await c.login('coordination');
  const before = await total();
  const csv = 'nom;prenom;institution;corps;degre;discipline;site\nCsrf;Test;rectorat;pemf;1D;polyvalent;ain\n';
  assert.equal((await importCsv(c, csv, { csrf: null })).status, 403);
  assert.equal((await importCsv(c, csv, { csrf: 'f'.repeat(64) })).status, 403);
  const t = new Client(srv.url);
  await t.login('formateur');
  assert.equal((await importCsv(t, csv)).status, 403);
  assert.equal(await total(), before);
});

test('export: a CSV a spreadsheet opens (BOM, semicolons, header)', async () => {
  const c = new Client(srv.url);
  await c.login('coordination');
  const r = await fetch(srv.url + '/formateurs/export.csv', { headers: { cookie: c.cookieHeader() } });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/csv/);
  assert.match(r.headers.get('content-disposition'), /attachment; filename="formateurs\.csv"/);
  const bytes = new Uint8Array(await r.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]); // UTF-8 BOM: Excel reads the accents right
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.slice(3));
  assert.match(text.split('\r\n')[0], /^id;nom;prenom;/);
  // Quoted fields may hold line breaks: count records by the id column instead.
  const records = text.split('\r\n').filter((l) => /^\d+;/.test(l)).length;
  assert.equal(records, await total());
});
