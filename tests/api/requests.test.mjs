// HTTP tests of training requests (issue 5, slice a): filing through the API, the workflow's
// transitions with their roles, French messages and statuses (201, 400, 403, 404, 409, 422),
// and who sees which requests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { demoDatabase, startServer, tokenFor, Client } from '../lib/server.mjs';

let srv, tokens = {};

// A valid ALP IDG (seed 001): a head of establishment and an IEN, 12 hours over two days on a
// Tuesday and a Thursday of the 2026-2027 season, 10 + 10 trainees of one sector.
const ALP = {
  requesters: [{ role: 'chef_etablissement', name: 'Mme Durand', uai: '0691234A' },
    { role: 'ien', name: 'M. Petit', circonscription: 'Villeurbanne Nord' }],
  sectors: 1, format: 'nouveau_theme', theme: 'Continuité des apprentissages en mathématiques',
  eabep: false, education_prioritaire: false, academic_trainers: true, hours: 12, days: 2,
  sessions: [{ date: '2027-01-12', start: '09:00', end: '15:00' }, { date: '2027-03-11', start: '09:00', end: '15:00' }],
  trainees: { first_degree: 10, second_degree: 10 },
};
before(async () => {
  const { db } = demoDatabase();
  for (const login of ['chef.etab', 'ien.circo', 'coordination', 'etudiant', 'pilote', 'formateur'])
    tokens[login] = tokenFor(db, login);
  srv = await startServer(db);
});
after(async () => { await srv.stop(); });

async function call(login, method, path, body) {
  const headers = { authorization: `Bearer ${tokens[login]}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(srv.url + path, { method, headers, body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)) });
  return { status: res.status, body: await res.json() };
}

test('a head of establishment files a FIL request; the coordination triages and validates it', async () => {
  let r = await call('chef.etab', 'POST', '/api/v1/requests', {
    kind: 'fil', title: 'Climat scolaire et gestion des conflits', description: 'Deux demi-journées pour l’équipe.',
    details: { public: 'équipe pluricatégorielle', headcount: 25, disciplinary: false }, submit: true,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const id = r.body.id;
  assert.equal(r.body.state, 'submitted');
  assert.equal(r.body.dispositif, 'fil');
  assert.equal(r.body.details.headcount, 25);
  // five weeks to answer (seed 004, Annexe 4 c), give or take a clock change
  const days = (r.body.deadline_at - r.body.submitted_at) / 86400;
  assert.ok(days > 34.9 && days < 35.1, `deadline after ${days} days`);
  assert.deepEqual(r.body.next.map((n) => n.to), ['withdrawn']);
  assert.equal(r.body.urgency, 'on_time');

  // the requester may not triage their own request
  r = await call('chef.etab', 'POST', `/api/v1/requests/${id}/transitions`, { to: 'triaged' });
  assert.equal(r.status, 403);
  assert.match(r.body.detail, /ne peut pas faire passer une demande de type « FIL »/);
  // the coordination: an illegal jump, then triage and a level-1 answer
  r = await call('coordination', 'POST', `/api/v1/requests/${id}/transitions`, { to: 'scheduled' });
  assert.equal(r.status, 409);
  assert.match(r.body.detail, /ne peut pas passer à « planifiée »/);
  r = await call('coordination', 'POST', `/api/v1/requests/${id}/transitions`, { to: 'triaged' });
  assert.equal(r.status, 200);
  assert.equal(r.body.state, 'triaged');
  r = await call('coordination', 'POST', `/api/v1/requests/${id}/transitions`, { to: 'refused' });
  assert.equal(r.status, 422);
  assert.match(r.body.detail, /motif/i);
  r = await call('coordination', 'POST', `/api/v1/requests/${id}/transitions`, { to: 'validated' });
  assert.equal(r.status, 200);
  assert.equal(r.body.state, 'validated');
  assert.equal(r.body.level, 1);
  assert.deepEqual(r.body.transitions.map((t) => t.to), ['triaged', 'validated']);
  assert.equal(r.body.transitions[0].actor_login, 'coordination');

  // who sees it: the filer and the coordination, not another requester
  assert.equal((await call('chef.etab', 'GET', `/api/v1/requests/${id}`)).status, 200);
  assert.equal((await call('ien.circo', 'GET', `/api/v1/requests/${id}`)).status, 404);
  const mine = await call('chef.etab', 'GET', '/api/v1/requests?kind=fil');
  assert.ok(mine.body.items.some((x) => x.id === id));
  const theirs = await call('ien.circo', 'GET', '/api/v1/requests');
  assert.ok(!theirs.body.items.some((x) => x.id === id));
  const queue = await call('coordination', 'GET', '/api/v1/requests?state=validated');
  assert.ok(queue.body.items.some((x) => x.id === id));
});

test('a draft is withdrawn by its filer; level 2 goes to a collectif pilot', async () => {
  let r = await call('ien.circo', 'POST', '/api/v1/requests', { kind: 'alp_idg', title: 'Continuité école-collège en mathématiques', details: ALP });
  assert.equal(r.status, 201);
  assert.equal(r.body.state, 'draft');
  assert.equal(r.body.deadline_at, null);
  const id = r.body.id;
  r = await call('ien.circo', 'POST', `/api/v1/requests/${id}/transitions`, { to: 'submitted' });
  assert.equal(r.status, 200);
  assert.ok(r.body.deadline_at > r.body.submitted_at);
  for (const to of ['triaged', 'forwarded'])
    assert.equal((await call('coordination', 'POST', `/api/v1/requests/${id}/transitions`, { to })).status, 200);
  r = await call('coordination', 'POST', `/api/v1/requests/${id}/transitions`, { to: 'validated' });
  assert.equal(r.status, 403);
  r = await call('pilote', 'POST', `/api/v1/requests/${id}/transitions`, { to: 'refused', reason: 'Hors du périmètre du collectif cette année.' });
  assert.equal(r.status, 200);
  assert.equal(r.body.state, 'refused');
  assert.equal(r.body.level, 2);
  assert.equal(r.body.transitions.at(-1).reason, 'Hors du périmètre du collectif cette année.');
  // a final state: nothing leaves it
  r = await call('ien.circo', 'POST', `/api/v1/requests/${id}/transitions`, { to: 'withdrawn' });
  assert.equal(r.status, 409);

  r = await call('ien.circo', 'POST', '/api/v1/requests', { kind: 'fil', title: 'Brouillon à retirer' });
  r = await call('ien.circo', 'POST', `/api/v1/requests/${r.body.id}/transitions`, { to: 'withdrawn' });
  assert.equal(r.status, 200);
  assert.equal(r.body.state, 'withdrawn');
});

test('bad input: 400 for malformed bodies and parameters, 422 for content, 403 for roles', async () => {
  let r = await call('chef.etab', 'POST', '/api/v1/requests', '{"kind": "fil",');
  assert.equal(r.status, 400);
  r = await call('chef.etab', 'POST', '/api/v1/requests', { kind: 'fil', title: 'Un titre', colour: 'bleu' });
  assert.equal(r.status, 400);
  assert.match(r.body.detail, /Champ inconnu : « colour »/);
  r = await call('chef.etab', 'POST', '/api/v1/requests', { kind: 'fil', title: 12, submit: 'yes' });
  assert.equal(r.status, 400);
  assert.deepEqual(r.body.errors.map((e) => e.field), ['title', 'submit']);
  r = await call('chef.etab', 'POST', '/api/v1/requests', { kind: 'fil', dispositif: 'ald', title: 'X' });
  assert.equal(r.status, 422);
  assert.deepEqual(r.body.errors.map((e) => e.rule), ['request.dispositif', 'request.title']);
  assert.match(r.body.errors[1].detail, /Intitulé : 3 caractères au moins/);
  r = await call('chef.etab', 'POST', '/api/v1/requests', { kind: 'teleportation', title: 'Voyage' });
  assert.equal(r.status, 422);
  assert.equal(r.body.errors[0].rule, 'request.kind');
  r = await call('etudiant', 'POST', '/api/v1/requests', { kind: 'fil', title: 'Une formation' });
  assert.equal(r.status, 403);
  r = await call('coordination', 'GET', '/api/v1/requests?state=bogus');
  assert.equal(r.status, 400);
  assert.match(r.body.detail, /État inconnu/);
  r = await call('coordination', 'GET', '/api/v1/requests?colour=bleu');
  assert.equal(r.status, 400);
  r = await call('coordination', 'GET', '/api/v1/requests?per_page=1000');
  assert.equal(r.status, 400);
  r = await call('coordination', 'POST', '/api/v1/requests/999999/transitions', { to: 'triaged' });
  assert.equal(r.status, 404);
  r = await call('coordination', 'POST', '/api/v1/requests/1/transitions', { to: 'nowhere' });
  assert.ok(r.status === 422 || r.status === 404);
  const unauth = await fetch(srv.url + '/api/v1/requests');
  assert.equal(unauth.status, 401);
});

test('the pages: a head of establishment files a request, the coordination answers it', async () => {
  const chef = new Client(srv.url);
  await chef.login('chef.etab');
  let page = await chef.get('/demandes');
  assert.equal(page.status, 200);
  assert.match(page.text, /Nouvelle demande/);
  assert.match(page.text, /href="\/demandes\/nouvelle\?type=fil"/); // the filing forms
  assert.doesNotMatch(page.text, /type=ald"/); // not a kind they file
  let r = await chef.post('/demandes', { csrf: chef.csrf, kind: 'fil', title: 'x', submit: '1' });
  assert.equal(r.status, 400);
  assert.match(r.text, /Intitulé : 3 caractères au moins/);
  r = await chef.post('/demandes', { csrf: chef.csrf, kind: 'fil', title: 'Évaluer par compétences au collège', description: 'Équipe de 20 professeurs.', public: 'professeurs du collège', headcount: '0', submit: '1' });
  assert.equal(r.status, 400);
  assert.match(r.text, /Effectif : entre 1 et 200, pas 0/);
  r = await chef.post('/demandes', { csrf: chef.csrf, kind: 'fil', title: 'Évaluer par compétences au collège', description: 'Équipe de 20 professeurs.', public: 'professeurs du collège', headcount: '20', submit: '1' });
  assert.equal(r.status, 303);
  const url = r.headers.get('location').replace(/\?.*/, '');
  page = await chef.get(r.headers.get('location'));
  assert.match(page.text, /La demande est déposée/);
  assert.match(page.text, /Réponse attendue au plus tard le/);
  assert.match(page.text, /Retirer la demande|Retirer/);

  const coord = new Client(srv.url);
  await coord.login('coordination');
  const queue = await coord.get('/demandes?state=submitted');
  assert.match(queue.text, /Évaluer par compétences au collège/);
  r = await coord.post(`${url}/transitions`, { csrf: coord.csrf, to: 'triaged' });
  assert.equal(r.status, 303);
  r = await coord.post(`${url}/transitions`, { csrf: coord.csrf, to: 'refused' });
  assert.equal(r.status, 400);
  assert.match(r.text, /motif/i);
  r = await coord.post(`${url}/transitions`, { csrf: coord.csrf, to: 'done' });
  assert.equal(r.status, 409);
  r = await coord.post(`${url}/transitions`, { csrf: coord.csrf, to: 'validated' });
  assert.equal(r.status, 303);
  page = await chef.get(url);
  assert.match(page.text, /État : <strong>validée<\/strong> \(niveau 1\)/);
  assert.match(page.text, /coordination : soumise → prise en charge/);
  // another establishment's head does not see it; no CSRF, no change
  const other = new Client(srv.url);
  await other.login('ien.circo');
  assert.equal((await other.get(url)).status, 404);
  r = await coord.post(`${url}/transitions`, { to: 'assigned' });
  assert.equal(r.status, 403);
});

test('an ALP IDG that breaks three rules gets three precise French messages, then passes', async () => {
  const broken = structuredClone(ALP);
  broken.requesters = [ALP.requesters[0]];                    // no IEN
  broken.sessions[0].date = '2027-01-15';                     // a Friday, with academic trainers
  broken.sectors = 2;
  broken.trainees = { first_degree: 16, second_degree: 16 };  // 32 trainees, none declared
  let r = await call('chef.etab', 'POST', '/api/v1/requests', { kind: 'alp_idg', title: 'Lire au cycle 3', details: broken, submit: true });
  assert.equal(r.status, 422);
  const blocking = r.body.errors.filter((e) => !e.warning);
  assert.deepEqual(blocking.map((e) => e.rule), ['alp.requesters', 'alp.weekday', 'alp.max_trainees']);
  const weekday = blocking.find((e) => e.rule === 'alp.weekday');
  assert.equal(weekday.field, 'sessions[0].date');
  assert.match(weekday.detail, /Le vendredi 15\/01\/2027 ne convient pas/);
  assert.match(blocking.find((e) => e.rule === 'alp.requesters').detail, /il manque un IEN de circonscription/);
  r = await call('chef.etab', 'POST', '/api/v1/requests', { kind: 'alp_idg', title: 'Lire au cycle 3', details: ALP, submit: true });
  assert.equal(r.status, 201);
  assert.equal(r.body.state, 'submitted');
});
