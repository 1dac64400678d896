// HTTP tests of the work on a validated request (issue 5 §4-6): trainer proposals with their
// reasons, assignment of an ALP IDG's 1D + 2D pair (seed 001: « un binôme de formateurs 1er et
// 2nd degré »), the trainers' answers, sessions and their conflicts, the checks before an action
// is scheduled, the inbox and the trainer's .ics calendar.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { demoDatabase, startServer, tokenFor, cli, Client } from '../lib/server.mjs';

let srv, db;
const tokens = {};
const PASSWORD = 'mot-de-passe-formateur';

// An ALP IDG on school bullying: academic trainers, so Monday, Tuesday, Wednesday morning or
// Thursday (seed 001 §3); a Tuesday and a Thursday of the 2026-2027 season.
const ALP = {
  requesters: [{ role: 'chef_etablissement', name: 'Mme Durand', uai: '0691234A' },
    { role: 'ien', name: 'M. Petit', circonscription: 'Villeurbanne Nord' }],
  sectors: 1, format: 'nouveau_theme', theme: 'Prévention du harcèlement et climat scolaire',
  eabep: false, education_prioritaire: false, academic_trainers: true, hours: 12, days: 2,
  sessions: [{ date: '2027-01-12', start: '09:00', end: '15:00' }, { date: '2027-03-11', start: '09:00', end: '15:00' }],
  trainees: { first_degree: 10, second_degree: 10 },
};

before(async () => {
  ({ db } = demoDatabase());
  for (const login of ['chef.etab', 'coordination', 'pilote', 'formateur', 'resp.parcours', 'copil'])
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

/** Files the ALP as chef.etab and brings it to `validated`; returns its id. */
async function validatedAlp(title, details = ALP) {
  let r = await call('chef.etab', 'POST', '/api/v1/requests', { kind: 'alp_idg', title, details, submit: true });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const id = r.body.id;
  for (const to of ['triaged', 'validated']) {
    r = await call('coordination', 'POST', `/api/v1/requests/${id}/transitions`, { to });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
  return id;
}

/** An account for a trainer of the map, with a token. */
function trainerAccount(login, trainerId) {
  const r = cli(['user', 'add', '--db', db, '--login', login, '--role', 'trainer', '--scope', 'self', '--trainer', String(trainerId)], PASSWORD + '\n');
  assert.equal(r.status, 0, r.stderr);
  tokens[login] = tokenFor(db, login);
}

let alpId, pair;

test('an ALP IDG gets a first-degree and a second-degree list of proposals, each with its reasons', async () => {
  alpId = await validatedAlp('Prévenir le harcèlement, de l’école au collège');
  const r = await call('coordination', 'GET', `/api/v1/requests/${alpId}/proposals?limit=5`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.hours, 12);
  assert.equal(r.body.required_days, 'mardi, jeudi');
  assert.ok(r.body.wanted.some((w) => w.code === 'climat-harcelement' && !w.related), JSON.stringify(r.body.wanted));
  assert.deepEqual(r.body.slots.map((s) => s.slot), ['1D', '2D']);
  for (const slot of r.body.slots) {
    assert.ok(slot.items.length > 0, `no proposal for ${slot.slot}`);
    assert.ok(slot.items.length <= 5);
    assert.ok(slot.stats.candidates >= slot.stats.ranked);
    for (let i = 0; i < slot.items.length; i++) {
      const it = slot.items[i];
      assert.equal(it.degree, slot.slot, 'an ALP slot takes its own degree only');
      const c = it.components;
      assert.equal(it.score, c.competence + c.degree + c.weekdays + c.quota + c.distance + c.balance);
      if (i) assert.ok(slot.items[i - 1].score >= it.score, 'best first');
      // free on the days of the sessions, and with hours left for this action
      assert.match(it.facts.weekdays, /mardi/);
      assert.match(it.facts.weekdays, /jeudi/);
      assert.ok(it.facts.quota_left >= 12);
      assert.match(it.reasons[0], /^Compétence validée « .+ », niveau /);
      assert.ok(it.reasons.some((x) => /Disponible le .*mardi/.test(x)));
      assert.ok(it.reasons.some((x) => /h libres sur \d+ h de quota, 12 h pour cette action/.test(x)));
      assert.ok(it.reasons.some((x) => /balance des heures/.test(x)));
    }
  }
  pair = { d1: r.body.slots[0].items[0], d2: r.body.slots[1].items[0] };

  // who may ask, and bad parameters
  assert.equal((await call('chef.etab', 'GET', `/api/v1/requests/${alpId}/proposals`)).status, 404);
  assert.equal((await call('coordination', 'GET', `/api/v1/requests/${alpId}/proposals?limit=0`)).status, 400);
  assert.equal((await call('coordination', 'GET', `/api/v1/requests/${alpId}/proposals?sort=x`)).status, 400);
  assert.equal((await call('coordination', 'GET', '/api/v1/requests/999999/proposals')).status, 404);
});

test('the coordination assigns the pair; wrong slots, degrees and bodies are refused and change nothing', async () => {
  // the two trainers have accounts: they will answer from them
  trainerAccount('binome.1d', pair.d1.trainer_id);
  trainerAccount('binome.2d', pair.d2.trainer_id);
  const url = `/api/v1/requests/${alpId}/trainers`;
  let r = await call('coordination', 'POST', url, { trainers: [{ trainer_id: pair.d1.trainer_id, slot: '2D' }] });
  assert.equal(r.status, 409);
  assert.match(r.body.detail, /n’est pas du degré attendu/);
  r = await call('coordination', 'POST', url, { trainers: [{ trainer_id: pair.d1.trainer_id, slot: 'any' }] });
  assert.equal(r.status, 422);
  r = await call('coordination', 'POST', url, { trainers: [{ trainer_id: 99999999, slot: '1D' }] });
  assert.equal(r.status, 422);
  r = await call('coordination', 'POST', url, { trainers: 'all' });
  assert.equal(r.status, 400);
  r = await call('coordination', 'POST', url, { trainers: [{ trainer_id: pair.d1.trainer_id, slot: '1D' }], extra: 1 });
  assert.equal(r.status, 400);
  r = await call('pilote', 'POST', url, { trainers: [{ trainer_id: pair.d1.trainer_id, slot: '1D' }] });
  assert.equal(r.status, 403);
  r = await call('chef.etab', 'GET', `/api/v1/requests/${alpId}`);
  assert.equal(r.body.state, 'validated');
  assert.deepEqual(r.body.trainers, []);

  // a plain transition to assigned needs the trainers first
  r = await call('coordination', 'POST', `/api/v1/requests/${alpId}/transitions`, { to: 'assigned' });
  assert.equal(r.status, 409);
  assert.match(r.body.detail, /Choisissez d’abord les formateurs/);

  r = await call('coordination', 'POST', url, { trainers: [
    { trainer_id: pair.d1.trainer_id, slot: '1D' }, { trainer_id: pair.d2.trainer_id, slot: '2D' }] });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.state, 'assigned');
  assert.deepEqual(r.body.trainers.map((t) => [t.slot, t.state, t.hours]), [['1D', 'pending', 12], ['2D', 'pending', 12]]);
  assert.equal(r.body.transitions.at(-1).to, 'assigned');
  // a slot is filled once
  r = await call('coordination', 'POST', url, { trainers: [{ trainer_id: pair.d1.trainer_id, slot: '1D' }] });
  assert.equal(r.status, 409);
  assert.match(r.body.detail, /déjà pourvu/);
});

test('the trainers answer from their own account; scheduling waits for them and for sessions', async () => {
  // their inbox holds the mission to accept
  let r = await call('binome.1d', 'GET', '/api/v1/me/inbox');
  assert.equal(r.status, 200);
  assert.equal(r.body.unread, 1);
  assert.equal(r.body.items[0].kind, 'mission.accept');
  assert.equal(r.body.items[0].link, `/demandes/${alpId}`);
  r = await call('binome.1d', 'GET', '/api/v1/me/missions');
  assert.deepEqual(r.body.items.map((m) => [m.request_id, m.state]), [[alpId, 'pending']]);
  assert.equal((await call('chef.etab', 'GET', '/api/v1/me/missions')).status, 403);

  // nobody else answers for them; a refusal needs a reason
  r = await call('formateur', 'POST', `/api/v1/requests/${alpId}/answer`, { accept: true });
  assert.equal(r.status, 409);
  r = await call('chef.etab', 'POST', `/api/v1/requests/${alpId}/answer`, { accept: true });
  assert.equal(r.status, 403);
  r = await call('binome.2d', 'POST', `/api/v1/requests/${alpId}/answer`, { accept: false });
  assert.equal(r.status, 422);
  assert.match(r.body.detail, /motif est obligatoire/);
  r = await call('binome.2d', 'POST', `/api/v1/requests/${alpId}/answer`, { accept: 'yes' });
  assert.equal(r.status, 400);

  r = await call('binome.1d', 'POST', `/api/v1/requests/${alpId}/answer`, { accept: true });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.my_mission.state, 'accepted');
  // not twice
  assert.equal((await call('binome.1d', 'POST', `/api/v1/requests/${alpId}/answer`, { accept: true })).status, 409);

  r = await call('coordination', 'POST', `/api/v1/requests/${alpId}/transitions`, { to: 'scheduled' });
  assert.equal(r.status, 409);
  assert.match(r.body.detail, /Ajoutez au moins une séance/);
  r = await call('coordination', 'POST', `/api/v1/requests/${alpId}/sessions`, { date: '2027-01-12', start: '09:00', end: '15:00', place: 'Collège Jean Moulin', modality: 'presentiel' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await call('coordination', 'POST', `/api/v1/requests/${alpId}/transitions`, { to: 'scheduled' });
  assert.equal(r.status, 409);
  assert.match(r.body.detail, /n’a pas encore accepté sa mission/);
  r = await call('binome.2d', 'POST', `/api/v1/requests/${alpId}/answer`, { accept: true });
  assert.equal(r.status, 200);
  // the coordination is told of both answers
  r = await call('coordination', 'GET', '/api/v1/me/inbox');
  assert.ok(r.body.items.filter((n) => n.kind === 'mission.accepted' && n.request_id === alpId).length === 2);
});

test('sessions: bad fields, a day a trainer is not free, and a trainer at two places at once are refused', async () => {
  const url = `/api/v1/requests/${alpId}/sessions`;
  let r = await call('coordination', 'POST', url, { date: '31/02/2027', start: '09:00', end: '12:00', modality: 'presentiel', place: 'X' });
  assert.equal(r.status, 422);
  assert.equal(r.body.errors[0].field, 'date');
  r = await call('coordination', 'POST', url, { date: '2027-03-11', start: '12:00', end: '09:00', modality: 'presentiel', place: 'X' });
  assert.equal(r.status, 422);
  assert.match(r.body.detail, /finit après son début/);
  r = await call('coordination', 'POST', url, { date: '2027-03-11', start: '09:00', end: '12:00', modality: 'visio' });
  assert.equal(r.status, 422);
  r = await call('coordination', 'POST', url, { date: '2027-03-11', start: '09:00', end: '12:00', modality: 'presentiel', unknown: 1 });
  assert.equal(r.status, 400);
  r = await call('chef.etab', 'POST', url, { date: '2027-03-11', start: '09:00', end: '12:00', modality: 'distance' });
  assert.equal(r.status, 403);
  // a Sunday: no trainer is free
  r = await call('coordination', 'POST', url, { date: '2027-03-14', start: '09:00', end: '12:00', modality: 'distance' });
  assert.equal(r.status, 409);
  assert.match(r.body.detail, /n’est pas disponible le dimanche/);

  // A second ALP with the same 2D trainer: its session on 12/01 at 10:00 overlaps the first's.
  const other = await validatedAlp('Climat scolaire : deuxième secteur');
  r = await call('coordination', 'GET', `/api/v1/requests/${other}/proposals?limit=50`);
  // the pair is busy at the wished times: not proposed
  for (const slot of r.body.slots)
    assert.ok(!slot.items.some((it) => it.trainer_id === pair.d1.trainer_id || it.trainer_id === pair.d2.trainer_id));
  const d1 = r.body.slots[0].items[0];
  r = await call('coordination', 'POST', `/api/v1/requests/${other}/trainers`, { trainers: [{ trainer_id: pair.d2.trainer_id, slot: '2D' }] });
  assert.equal(r.status, 409);
  assert.match(r.body.detail, /anime déjà une séance au même moment/);
  // without wished dates, the 2D trainer is free to be assigned; then the session collides
  const undated = { ...ALP, sessions: [] };
  const third = await validatedAlp('Climat scolaire : troisième secteur', undated);
  r = await call('coordination', 'POST', `/api/v1/requests/${third}/trainers`, { trainers: [
    { trainer_id: d1.trainer_id, slot: '1D' }, { trainer_id: pair.d2.trainer_id, slot: '2D' }] });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await call('coordination', 'POST', `/api/v1/requests/${third}/sessions`, { date: '2027-01-12', start: '10:00', end: '12:00', place: 'École Victor Hugo', modality: 'presentiel' });
  assert.equal(r.status, 409);
  assert.match(r.body.detail, /anime déjà « Prévenir le harcèlement, de l’école au collège » le 12\/01\/2027 de 09:00 à 15:00/);
  r = await call('coordination', 'GET', `/api/v1/requests/${third}`);
  assert.deepEqual(r.body.sessions, []);
});

test('scheduling runs the ALP rules on the sessions as set; then the mission orders and the calendar follow', async () => {
  // A session in the winter holidays (zone A, seed 001: vacances exclues) breaks alp.holiday.
  let r = await call('coordination', 'POST', `/api/v1/requests/${alpId}/sessions`, { date: '2027-02-16', start: '09:00', end: '15:00', place: 'Collège Jean Moulin', modality: 'presentiel' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const holiday = r.body.sessions.find((s) => s.place === 'Collège Jean Moulin' && s.starts_at > r.body.sessions[0].starts_at);
  r = await call('coordination', 'POST', `/api/v1/requests/${alpId}/transitions`, { to: 'scheduled' });
  assert.equal(r.status, 422, JSON.stringify(r.body));
  assert.ok(r.body.errors.some((e) => e.rule === 'alp.holiday' && e.field === 'sessions[1].date'), JSON.stringify(r.body.errors));
  r = await call('coordination', 'DELETE', `/api/v1/requests/${alpId}/sessions/${holiday.id}`);
  assert.equal(r.status, 200);
  r = await call('coordination', 'POST', `/api/v1/requests/${alpId}/sessions`, { date: '2027-03-11', start: '09:00', end: '15:00', place: 'Collège Jean Moulin', modality: 'presentiel' });
  assert.equal(r.status, 201);
  r = await call('coordination', 'POST', `/api/v1/requests/${alpId}/transitions`, { to: 'scheduled' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.state, 'scheduled');
  assert.equal(r.body.sessions.length, 2);

  // issue 5 §2: done → hours declared and validated
  const hoursUrl = `/api/v1/requests/${alpId}/hours`;
  assert.equal((await call('binome.1d', 'POST', hoursUrl, { hours: 'douze' })).status, 400);
  assert.equal((await call('binome.1d', 'POST', hoursUrl, { hours: 201 })).status, 400);
  assert.equal((await call('coordination', 'POST', hoursUrl, { hours: 10 })).status, 403);
  assert.equal((await call('formateur', 'POST', hoursUrl, { hours: 10 })).status, 409);
  r = await call('binome.1d', 'POST', hoursUrl, { hours: 10 });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.my_mission.declared_hours, 10);
  assert.equal((await call('coordination', 'POST', `/api/v1/requests/${alpId}/transitions`, { to: 'done' })).status, 200);
  r = await call('coordination', 'POST', `/api/v1/requests/${alpId}/transitions`, { to: 'hours_validated' });
  assert.equal(r.status, 200);
  // the undeclared hours count as planned; nothing changes once validated
  assert.deepEqual(r.body.trainers.map((t) => [t.slot, t.hours, t.declared_hours, t.hours_validated_at !== null]),
    [['1D', 12, 10, true], ['2D', 12, 12, true]]);
  assert.equal((await call('binome.1d', 'POST', hoursUrl, { hours: 11 })).status, 409);

  // the trainer's calendar, from the page with a session cookie
  const c = new Client(srv.url);
  await c.login('binome.2d', PASSWORD);
  const ics = await c.get('/mes-missions/agenda.ics');
  assert.equal(ics.status, 200);
  assert.match(ics.headers.get('content-type'), /text\/calendar/);
  assert.match(ics.text, /^BEGIN:VCALENDAR\r\n/);
  assert.equal((ics.text.match(/BEGIN:VEVENT/g) || []).length, 2, 'the two sessions of this ALP; the third has none');
  assert.match(ics.text, /DTSTART;TZID=Europe\/Paris:20270112T090000/);
  assert.match(ics.text, /STATUS:CONFIRMED/);
  // a calendar application subscribes through a secret address, without a session
  let page = await c.get('/mes-missions');
  assert.match(page.text, /Boîte de réception \(\d+\)/, 'the menu counts unread messages');
  let sub = await c.post('/mes-missions/abonnement', { csrf: Client.csrfOf(page.text) });
  assert.equal(sub.status, 200);
  const url = sub.text.match(/<code id="calendar-url">(http:\/\/[^<]+)<\/code>/)[1];
  assert.match(url, /\/agenda\.ics\?cle=[0-9a-f]{64}$/);
  const path = url.replace(/^http:\/\/[^/]+/, '');
  let feed = await fetch(srv.url + path);
  assert.equal(feed.status, 200);
  assert.equal(((await feed.text()).match(/BEGIN:VEVENT/g) || []).length, 2);
  assert.equal((await fetch(srv.url + '/agenda.ics?cle=' + '0'.repeat(64))).status, 404);
  assert.equal((await fetch(srv.url + '/agenda.ics')).status, 404);
  page = await c.get('/mes-missions');
  sub = await c.post('/mes-missions/abonnement', { csrf: Client.csrfOf(page.text) });
  assert.equal((await fetch(srv.url + path)).status, 404, 'a new address replaces the old one');
  assert.equal((await c.post('/mes-missions/abonnement', {})).status, 403, 'CSRF');
  const orders = await c.get(`/demandes/${alpId}/ordres-de-mission`);
  assert.equal(orders.status, 200);
  assert.match(orders.text, /Ordre de mission — intervenant/);
  assert.match(orders.text, /Ordre de mission — stagiaires du second degré/);
  assert.match(orders.text, /Ordre de mission — stagiaires du premier degré/);
  // a stranger does not read them
  const other = new Client(srv.url);
  await other.login('formateur');
  assert.equal((await other.get(`/demandes/${alpId}/ordres-de-mission`)).status, 404);
  assert.equal((await other.get('/mes-missions/agenda.ics')).status, 200);
});

test('a campaign batch gives every validated ALP its pair at once, and says why one cannot be covered', async () => {
  const themes = ['Évaluation formative et rétroaction', 'Éducation aux médias et à l’information',
    'Élèves allophones nouvellement arrivés', 'Enseigner la laïcité'];
  const ids = [];
  for (const [i, theme] of themes.entries()) {
    // Mondays and Tuesdays in March 2027, one action per day: no clash between them
    const day = `2027-03-${String(1 + 7 * Math.floor(i / 2) + (i % 2)).padStart(2, '0')}`;
    ids.push(await validatedAlp(`Campagne : ${theme}`, { ...ALP, theme, hours: 6, days: 1, sessions: [{ date: day, start: '09:00', end: '15:00' }] }));
  }
  const none = await validatedAlp('Campagne : thème introuvable', { ...ALP, theme: 'Pratique du cor de chasse', hours: 6, days: 1, sessions: [{ date: '2027-03-16', start: '09:00', end: '15:00' }] });

  let r = await call('pilote', 'POST', '/api/v1/campaigns/2026/assignments', { kind: 'alp_idg' });
  assert.equal(r.status, 403);
  r = await call('coordination', 'POST', '/api/v1/campaigns/2026/assignments', { kind: 'nope' });
  assert.equal(r.status, 400);
  r = await call('coordination', 'POST', '/api/v1/campaigns/2026/assignments', { kind: 'alp_idg', dry_run: 'oui' });
  assert.equal(r.status, 400);

  r = await call('coordination', 'POST', '/api/v1/campaigns/2026/assignments', { kind: 'alp_idg', dry_run: true });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const dry = r.body;
  assert.equal(dry.dry_run, true);
  for (const id of ids) {
    const it = dry.items.find((x) => x.request_id === id);
    assert.ok(it && it.assigned, JSON.stringify(it));
    assert.deepEqual(it.trainers.map((t) => t.slot), ['1D', '2D']);
  }
  const miss = dry.items.find((x) => x.request_id === none);
  assert.equal(miss.assigned, false);
  assert.match(miss.reason, /aucune compétence du référentiel ne correspond au thème/);
  assert.equal(dry.uncovered, dry.actions - dry.assigned);
  // a simulation writes nothing
  assert.equal((await call('coordination', 'GET', `/api/v1/requests/${ids[0]}`)).body.state, 'validated');

  r = await call('coordination', 'POST', '/api/v1/campaigns/2026/assignments', { kind: 'alp_idg' });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.items.map((x) => [x.request_id, x.assigned]), dry.items.map((x) => [x.request_id, x.assigned]));
  for (const id of ids) {
    const req = (await call('coordination', 'GET', `/api/v1/requests/${id}`)).body;
    assert.equal(req.state, 'assigned');
    assert.deepEqual(req.trainers.map((t) => [t.slot, t.state]), [['1D', 'pending'], ['2D', 'pending']]);
  }
  // no trainer twice at the same time, and nothing left to do for the covered ones
  r = await call('coordination', 'POST', '/api/v1/campaigns/2026/assignments', { kind: 'alp_idg' });
  assert.equal(r.body.assigned, 0);
  assert.ok(r.body.items.every((x) => !ids.includes(x.request_id)));
});

test('every kind\'s example of docs/api.md is accepted as written', async () => {
  const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
  const filer = { fil: 'chef.etab', alp_idg: 'chef.etab', ant: 'chef.etab', ent: 'chef.etab', ald: 'formateur',
    fi: 'resp.parcours', paf: 'coordination', prep_concours: 'coordination' };
  const re = /Exemple complet \(type `(\w+)`[^\n]*\n(?:[^\n]*\n)*?\n```json\n([\s\S]*?)```/g;
  const seen = [];
  for (const [, kind, text] of doc.matchAll(re)) {
    const body = JSON.parse(text);
    assert.equal(body.kind, kind);
    const r = await call(filer[kind], 'POST', '/api/v1/requests', body);
    assert.equal(r.status, 201, `${kind}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.state, 'submitted');
    seen.push(kind);
  }
  assert.deepEqual(seen.sort(), Object.keys(filer).sort());
});

test('the comité de pilotage sets a campaign\'s rules; they apply at once and are checked first', async () => {
  let r = await call('chef.etab', 'GET', '/api/v1/campaigns/2030');
  assert.equal(r.status, 200);
  // the seeds' defaults (campaign.c): ENT 18 HSE, ALP 6 to 12 hours, ANT two windows
  assert.equal(r.body.code, '2030-2031');
  assert.equal(r.body.kinds.ent.max_hse_per_trainer, 18);
  assert.equal(r.body.kinds.alp_idg.min_hours, 6);
  assert.deepEqual(r.body.kinds.ant.windows[0], ['2030-06-15', '2030-07-08']);
  assert.deepEqual(r.body.overrides, {});
  assert.equal((await call('coordination', 'POST', '/api/v1/campaigns/2030', { ent: { max_hse_per_trainer: 20 } })).status, 403);
  r = await call('copil', 'POST', '/api/v1/campaigns/2030', { ent: { max_hse_per_trainer: 'vingt' }, alp_idg: { min_hours: 14 } });
  assert.equal(r.status, 422);
  assert.deepEqual(r.body.errors.map((e) => e.field), ['ent.max_hse_per_trainer']);
  r = await call('copil', 'POST', '/api/v1/campaigns/2030', { alp_idg: { min_hours: 14 } });
  assert.equal(r.status, 422);
  assert.match(r.body.errors[0].detail, /le minimum \(14\) dépasse le maximum \(12\)/);
  r = await call('copil', 'POST', '/api/v1/campaigns/2030', { visio: {} });
  assert.equal(r.status, 422);
  assert.equal((await call('copil', 'POST', '/api/v1/campaigns/2030', '[1]')).status, 400);
  assert.equal((await call('copil', 'GET', '/api/v1/campaigns/2030')).body.kinds.ent.max_hse_per_trainer, 18, 'nothing was changed');
  r = await call('copil', 'POST', '/api/v1/campaigns/2030', { ent: { max_hse_per_trainer: 20 } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await call('copil', 'POST', '/api/v1/campaigns/2030', { ant: { windows: [] } });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.overrides, { ant: { windows: [] }, ent: { max_hse_per_trainer: 20 } });
  assert.equal(r.body.kinds.ent.max_hse_per_trainer, 20);
  assert.deepEqual(r.body.kinds.ant.windows, []);
  assert.equal((await call('copil', 'GET', '/api/v1/campaigns/99999')).status, 404);
  // the ANT catalogue of themes: one per line, trimmed, without duplicates, 3 to 300 characters
  r = await call('copil', 'POST', '/api/v1/campaigns/2030', { ant: { themes: ['Climat scolaire', 'x'] } });
  assert.equal(r.status, 422);
  assert.match(r.body.errors[0].detail, /n°2 : de 3 à 300 caractères/);
  r = await call('copil', 'POST', '/api/v1/campaigns/2030', { ant: { themes: ['Climat scolaire', '  Climat scolaire ', 'Oral au collège'] } });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.kinds.ant.themes, ['Climat scolaire', 'Oral au collège']);
  assert.deepEqual(r.body.kinds.ant.windows, [], 'the windows set before are kept');

  // The current campaign's ENT cap, lowered to 10 HSE, refuses at once an 18-HSE proposal.
  const now = new Date();
  const first = now.getUTCMonth() >= 8 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
  r = await call('copil', 'POST', `/api/v1/campaigns/${first}`, { ent: { max_hse_per_trainer: 10 } });
  assert.equal(r.status, 200);
  const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
  const ent = JSON.parse(doc.match(/Exemple complet \(type `ent`[^\n]*\n\n```json\n([\s\S]*?)```/)[1]);
  r = await call('chef.etab', 'POST', '/api/v1/requests', ent);
  assert.equal(r.status, 422);
  assert.deepEqual(r.body.errors.map((e) => e.rule), ['ent.hse']);
  assert.equal((await call('copil', 'POST', `/api/v1/campaigns/${first}`, { ent: { max_hse_per_trainer: 18 } })).status, 200);
  assert.equal((await call('chef.etab', 'POST', '/api/v1/requests', ent)).status, 201);
});

test('a request shows what its rules say: a draft every breach, a filed one its warnings', async () => {
  const friday = { ...ALP, sessions: [{ date: '2027-01-15', start: '09:00', end: '15:00' }], hours: 6, days: 1 };
  let r = await call('chef.etab', 'POST', '/api/v1/requests', { kind: 'alp_idg', title: 'Brouillon du vendredi', details: friday });
  assert.equal(r.status, 201);
  assert.equal(r.body.state, 'draft');
  assert.deepEqual(r.body.checks.map((c) => [c.rule, c.field, c.warning]), [['alp.weekday', 'sessions[0].date', false]]);
  // one round of corrections: a bad title and a broken rule are reported together
  r = await call('chef.etab', 'POST', '/api/v1/requests', { kind: 'alp_idg', title: 'x', details: friday, submit: true });
  assert.equal(r.status, 422);
  assert.deepEqual(r.body.errors.map((e) => e.rule), ['request.title', 'alp.weekday']);
  // seed 001: EABEP themes « prioritairement » on Tuesday or Thursday — a Monday is to check
  const monday = { ...ALP, eabep: true, sessions: [{ date: '2027-01-11', start: '09:00', end: '15:00' }], hours: 6, days: 1 };
  r = await call('chef.etab', 'POST', '/api/v1/requests', { kind: 'alp_idg', title: 'EABEP un lundi', details: monday, submit: true });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.deepEqual(r.body.checks.map((c) => [c.rule, c.warning]), [['alp.eabep', true]]);
  const c = new Client(srv.url);
  await c.login('chef.etab');
  const page = await c.get(`/demandes/${r.body.id}`);
  assert.match(page.text, /Points à vérifier, qui n’empêchent pas la suite/);
  assert.match(page.text, /\(à vérifier\)/);
});

test('the coordination names the competences a request needs; the proposals follow', async () => {
  const id = await validatedAlp('Une action au thème introuvable', { ...ALP, theme: 'Pratique du cor de chasse', sessions: [] });
  let r = await call('coordination', 'GET', `/api/v1/requests/${id}/proposals`);
  assert.deepEqual(r.body.wanted, []);
  assert.deepEqual(r.body.slots.map((s) => s.items.length), [0, 0]);
  const url = `/api/v1/requests/${id}/competences`;
  assert.equal((await call('pilote', 'POST', url, { competences: ['climat-harcelement'] })).status, 403);
  r = await call('coordination', 'POST', url, { competences: ['cor-de-chasse'] });
  assert.equal(r.status, 422);
  assert.match(r.body.detail, /Compétence inconnue du référentiel : « cor-de-chasse »/);
  assert.equal((await call('coordination', 'POST', url, { competences: 'climat' })).status, 400);
  r = await call('coordination', 'POST', url, { competences: ['climat-harcelement'] });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.details.competences, ['climat-harcelement']);
  r = await call('coordination', 'GET', `/api/v1/requests/${id}/proposals`);
  assert.deepEqual(r.body.wanted.filter((w) => !w.related).map((w) => w.code), ['climat-harcelement']);
  assert.ok(r.body.slots.every((s) => s.items.length > 0));
  // none: back to the theme's words
  r = await call('coordination', 'POST', url, { competences: [] });
  assert.equal(r.status, 200);
  assert.equal(r.body.details.competences, undefined);
});
