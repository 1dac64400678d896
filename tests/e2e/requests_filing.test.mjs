// Browser tests of the filing forms of training requests (issue 5): a head of establishment
// files an ALP IDG, an ANT and an ENT convention from their forms without JavaScript; a refusal shows the same form
// with every value kept, an error summary whose items link to their fields, and each rule's
// French message beside its field; warnings are shown and do not block. Every page on the way
// passes the axe-core audit (no serious or critical violation).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, accessible, login as loginAs } from '../lib/browser.mjs';
import { demoDatabase, startServer, Client } from '../lib/server.mjs';

let srv, browser;
before(async () => {
  const { db } = demoDatabase();
  srv = await startServer(db);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});
const login = (context, name) => loginAs(srv.url, context, name);

/**
 * The axe audit of what a page shows without JavaScript: axe needs scripts, so the page's HTML
 * is served again, as is, to a page of a context that runs them (with the same style sheets).
 */
async function audit(page, what) {
  const html = await page.content();
  const context = await browser.newContext();
  const copy = await context.newPage();
  await copy.route(srv.url + '/copie-sans-js', (r) => r.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
  await copy.goto(srv.url + '/copie-sans-js');
  await accessible(copy, what);
  await context.close();
}

/** The requests of the list page whose link names title. */
async function listed(context, title) {
  const list = await context.newPage();
  await list.goto(srv.url + '/demandes');
  const n = await list.getByRole('link', { name: title }).count();
  await list.close();
  return n;
}

/** Checks a DSFR radio button or checkbox as a user does, through its label (the input itself
 * is drawn by the label's ::before). */
async function tick(page, id) {
  if (!(await page.isChecked(`#${id}`))) await page.click(`label[for="${id}"]`);
  assert.equal(await page.isChecked(`#${id}`), true);
}

/** The href of each link of the error summary. */
const summaryLinks = (page) => page.locator('#erreurs a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));

test('an ALP IDG that breaks three rules shows each message beside its field, then is filed', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  context.setDefaultTimeout(20_000);
  const page = await login(context, 'chef.etab');
  await page.getByRole('link', { name: 'Demandes de formation' }).first().click();
  await page.getByRole('link', { name: 'Action locale prioritaire interdegrés (ALP IDG)' }).click();
  await page.getByRole('heading', { name: 'Nouvelle demande : Action locale prioritaire interdegrés (ALP IDG)' }).waitFor();
  assert.match(page.url(), /\/demandes\/nouvelle\?type=alp_idg$/);
  await audit(page, 'the ALP IDG form');

  const title = 'Lire et comprendre au cycle 3';
  await page.fill('#f-title', title);
  // Only a head of establishment: no IEN among the requesters (alp.requesters).
  await page.selectOption('#f-requesters-0-role', 'chef_etablissement');
  await page.fill('#f-requesters-0-name', 'Mme Durand');
  await page.fill('#f-requesters-0-place', '0691234A');
  await page.fill('#f-requesters-1-name', '');
  await page.fill('#f-requesters-1-place', '');
  await page.fill('#f-sectors', '2');
  await tick(page, 'f-format-nouveau_theme');
  await page.fill('#f-theme', 'Compréhension de l’écrit, du CM1 à la 6e');
  await tick(page, 'f-academic_trainers');
  await page.fill('#f-hours', '12');
  await page.fill('#f-days', '2');
  // A Thursday, an empty row, then a Friday although academic trainers take part (alp.weekday):
  // the Friday is the second session of the details, which the refused form shows as row n°2.
  await page.fill('#f-sessions-0-date', '2027-03-11');
  await page.fill('#f-sessions-0-start', '09:00');
  await page.fill('#f-sessions-0-end', '15:00');
  await page.fill('#f-sessions-2-date', '2027-01-15');
  await page.fill('#f-sessions-2-start', '09:00');
  await page.fill('#f-sessions-2-end', '15:00');
  // 32 trainees without announcing them (alp.max_trainees).
  await page.fill('#f-trainees-first_degree', '16');
  await page.fill('#f-trainees-second_degree', '16');
  await page.getByRole('button', { name: 'Déposer la demande' }).click();

  await page.getByRole('heading', { name: 'La demande n’a pas été enregistrée : 3 problèmes à corriger' }).waitFor();
  await audit(page, 'the ALP IDG form, refused');
  const requesters = 'Une ALP IDG est demandée conjointement par au moins un chef d’établissement et un IEN de circonscription : il manque un IEN de circonscription.';
  const weekday = 'Le vendredi 15/01/2027 ne convient pas : avec des formateurs académiques, une ALP IDG a lieu le lundi, le mardi, le mercredi matin ou le jeudi.';
  const trainees = '32 stagiaires : au-delà de 30, la demande doit annoncer le nombre de stagiaires prévu.';
  assert.equal(await page.locator('#f-requesters #f-requesters-err').textContent(), requesters);
  assert.equal(await page.locator('#f-sessions-1 #f-sessions-1-date-err').textContent(), weekday);
  assert.equal(await page.getByLabel('Date de la séance n°2').getAttribute('aria-describedby'), 'f-sessions-1-date-err');
  assert.equal(await page.locator('#f-trainees #f-trainees-err').textContent(), trainees);
  assert.deepEqual(await page.locator('.fr-error-text').allTextContents(), [requesters, weekday, trainees]);
  assert.deepEqual(await summaryLinks(page), ['#f-requesters', '#f-sessions-1-date', '#f-trainees']);
  assert.deepEqual(await page.locator('#erreurs li').allTextContents(), [requesters, weekday, trainees]);
  assert.equal(await page.locator('.fr-input-group--error').count(), 1); // the Friday's date
  assert.equal(await page.locator('.fr-fieldset--error').count(), 2);    // requesters, trainees
  // every value is kept
  assert.equal(await page.inputValue('#f-title'), title);
  assert.equal(await page.inputValue('#f-requesters-0-place'), '0691234A');
  assert.equal(await page.inputValue('#f-sessions-0-date'), '2027-03-11');
  assert.equal(await page.inputValue('#f-sessions-1-date'), '2027-01-15'); // moved up a row
  assert.equal(await page.inputValue('#f-sessions-1-end'), '15:00');
  assert.equal(await page.inputValue('#f-sessions-2-date'), '');
  assert.equal(await page.inputValue('#f-trainees-second_degree'), '16');
  assert.equal(await page.isChecked('#f-format-nouveau_theme'), true);
  assert.equal(await page.isChecked('#f-academic_trainers'), true);
  assert.equal(await page.isChecked('#f-eabep'), false);
  assert.equal(await listed(context, title), 0, 'nothing was created');

  // Fix the three: an IEN co-requests, the Friday becomes a Tuesday, 32 trainees are announced.
  await page.selectOption('#f-requesters-1-role', 'ien');
  await page.fill('#f-requesters-1-name', 'M. Petit');
  await page.fill('#f-requesters-1-place', 'Villeurbanne Nord');
  await page.fill('#f-sessions-1-date', '2027-01-12');
  await page.fill('#f-trainees-declared_max', '32');
  await page.getByRole('button', { name: 'Déposer la demande' }).click();
  await page.getByText('La demande est déposée').waitFor();
  assert.match(page.url(), /\/demandes\/\d+\?ok=depot$/);
  assert.match(await page.locator('main').textContent(), /État : soumise/);
  await audit(page, 'the ALP IDG, filed');
  assert.equal(await listed(context, title), 1);
  await context.close();
});

/** Today in Paris: {y, m, d}. */
function parisToday() {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date());
  const get = (t) => Number(parts.find((p) => p.type === t).value);
  return { y: get('year'), m: get('month'), d: get('day') };
}

test('an ANT form: the campaign windows, three rules beside their fields, then the window decides', async () => {
  // The ANT windows (seed 000, campaign.c) are 15 June–8 July, then 21 August–14 June: the pack
  // checks the instant of filing, the server's clock, which no test may move. Outside the windows
  // (9 July–20 August) the request is refused with the window's message; inside, it is filed.
  const { y, m, d } = parisToday();
  const outside = (m === 7 && d >= 9) || (m === 8 && d <= 20);
  const dd = (n) => String(n).padStart(2, '0');
  const windowMessage = `Les demandes d’ANT de la campagne ${y - 1}-${y} sont reçues du 15/06/${y - 1} au 08/07/${y - 1}, puis du 21/08/${y - 1} au 14/06/${y} ; celle-ci arrive le ${dd(d)}/${dd(m)}/${y}.`;

  const context = await browser.newContext({ javaScriptEnabled: false });
  context.setDefaultTimeout(20_000);
  const page = await login(context, 'chef.etab');
  await page.goto(srv.url + '/demandes/nouvelle');
  await page.getByRole('heading', { name: 'Nouvelle demande', exact: true }).waitFor();
  await audit(page, 'the kinds of request');
  await page.getByRole('link', { name: 'Aide négociée de territoire (ANT)' }).click();
  await page.getByRole('heading', { name: 'Nouvelle demande : Aide négociée de territoire (ANT)' }).waitFor();
  await audit(page, 'the ANT form');
  assert.match(await page.locator('.fr-callout').textContent(), /les demandes d’ANT sont reçues du \d\d\/\d\d\/\d{4} au \d\d\/\d\d\/\d{4}, puis du 21\/08\/\d{4} au 14\/06\/\d{4}\./);
  // the head of establishment is the one under whose cover the team files
  assert.notEqual(await page.inputValue('#f-chef_etablissement-name'), '');
  assert.match(await page.inputValue('#f-chef_etablissement-uai'), /^\d{7}[A-Z]$/);

  const title = 'Climat scolaire au collège';
  await page.fill('#f-title', title);
  await page.fill('#f-team-0-name', 'Mme Martin');        // one member only (ant.team)
  await page.fill('#f-team-0-function', 'professeure de lettres');
  await tick(page, 'f-scale-district');                  // without its host (ant.host)
  await page.fill('#f-theme', 'Prévenir le harcèlement');
  // the chef d'établissement's agreement left unchecked (ant.cover)
  await page.getByRole('button', { name: 'Déposer la demande' }).click();

  const team = 'Une ANT est demandée par plusieurs membres d’une équipe éducative volontaire : la demande en nomme 1.';
  const cover = 'Une demande d’ANT est transmise sous couvert du chef d’établissement : son accord manque.';
  const host = 'Une ANT de district désigne son établissement d’accueil : indiquez son UAI.';
  await page.getByRole('heading', { name: /La demande n’a pas été enregistrée/ }).waitFor();
  await audit(page, 'the ANT form, refused');
  assert.equal(await page.locator('#f-team-err').textContent(), team);
  assert.equal(await page.locator('#f-chef_etablissement-agreement-err').textContent(), cover);
  assert.equal(await page.locator('#f-host_uai-err').textContent(), host);
  assert.deepEqual(await summaryLinks(page), ['#f-team', '#f-chef_etablissement-agreement', '#f-host_uai']);
  // the window's breach is about the request itself: in the summary, without a link
  const items = await page.locator('#erreurs li').allTextContents();
  assert.deepEqual(items, outside ? [windowMessage, team, cover, host] : [team, cover, host]);
  assert.equal(await page.inputValue('#f-team-0-function'), 'professeure de lettres');
  assert.equal(await page.isChecked('#f-scale-district'), true);
  assert.equal(await listed(context, title), 0, 'nothing was created');

  await page.fill('#f-team-1-name', 'M. Diallo');
  await page.fill('#f-team-1-function', 'CPE');
  await tick(page, 'f-chef_etablissement-agreement');
  await page.fill('#f-host_uai', '0691235B');
  await page.getByRole('button', { name: 'Déposer la demande' }).click();
  if (outside) {
    await page.getByRole('heading', { name: 'La demande n’a pas été enregistrée : 1 problème à corriger' }).waitFor();
    assert.deepEqual(await page.locator('#erreurs li').allTextContents(), [windowMessage]);
    assert.deepEqual(await summaryLinks(page), []);
    assert.equal(await listed(context, title), 0);
  } else {
    await page.getByText('La demande est déposée').waitFor();
    assert.match(await page.locator('main').textContent(), /État : soumise/);
    assert.equal(await listed(context, title), 1);
  }
  await context.close();
});

test('an ENT convention: a cap and a missing remuneration line beside their fields, then filed', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  context.setDefaultTimeout(20_000);
  const page = await login(context, 'chef.etab');
  await page.goto(srv.url + '/demandes/nouvelle?type=ent');
  await page.getByRole('heading', { name: 'Nouvelle demande : Convention de formation au déploiement de l’ENT' }).waitFor();
  await audit(page, 'the ENT form');
  const title = 'Déployer l’ENT au collège';
  await page.fill('#f-title', title);
  await page.fill('#f-in_person-0-date', '2027-01-12');
  await page.fill('#f-in_person-0-hours', '3');
  await page.fill('#f-in_person-0-public', 'Enseignants de 6e');
  await page.fill('#f-in_person-0-headcount', '12');
  await page.fill('#f-in_person-0-trainer', 'M. Martin');
  await page.fill('#f-online-0-date', '2027-01-19');
  await page.fill('#f-online-0-hours', '2');
  await page.selectOption('#f-online-0-mode', 'suivi');
  await page.fill('#f-online-0-headcount', '8');
  await page.fill('#f-online-0-trainer', 'Mme Roux');           // no remuneration line (ent.remuneration)
  await page.fill('#f-remuneration-0-trainer', 'M. Martin');
  await page.fill('#f-remuneration-0-hse', '20');                // above the cap (ent.hse)
  await page.getByRole('button', { name: 'Déposer la demande' }).click();

  await page.getByRole('heading', { name: 'La demande n’a pas été enregistrée : 2 problèmes à corriger' }).waitFor();
  await audit(page, 'the ENT form, refused');
  const hse = 'Rémunération, ligne n°1 : 20 HSE proposées ; la rémunération est de 18 HSE au maximum par « formateur accompagnateur ».';
  const missing = 'Formation en ligne n°1 : son « formateur accompagnateur » n’a pas de ligne dans la proposition de rémunération.';
  assert.equal(await page.locator('#f-remuneration-0-hse-err').textContent(), hse);
  assert.equal(await page.locator('#f-online-0-trainer-err').textContent(), missing);
  assert.deepEqual(await summaryLinks(page), ['#f-remuneration-0-hse', '#f-online-0-trainer']);
  assert.equal(await page.inputValue('#f-online-0-mode'), 'suivi');
  assert.equal(await listed(context, title), 0, 'nothing was created');

  await page.fill('#f-remuneration-0-hse', '18');
  await page.fill('#f-remuneration-1-trainer', 'Mme Roux');
  await page.fill('#f-remuneration-1-hse', '6');
  await page.getByRole('button', { name: 'Déposer la demande' }).click();
  await page.getByText('La demande est déposée').waitFor();
  assert.match(await page.locator('main').textContent(), /État : soumise/);
  assert.equal(await listed(context, title), 1);
  await context.close();
});

test('typed non-numbers reach the rule pack; warnings are shown and do not block', async () => {
  const chef = new Client(srv.url);
  await chef.login('chef.etab');
  const alp = {
    csrf: chef.csrf, kind: 'alp_idg', submit: '1', title: 'Inclusion au cycle 3',
    'requesters[0].role': 'chef_etablissement', 'requesters[0].name': 'Mme Durand', 'requesters[0].place': '0691234A',
    'requesters[1].role': 'ien', 'requesters[1].name': 'M. Petit', 'requesters[1].place': 'Villeurbanne Nord',
    sectors: '1', format: 'nouveau_theme', theme: 'Pratiques inclusives', eabep: '1', academic_trainers: '1',
    hours: 'douze', days: '2',
    // a Monday: allowed, but an EABEP theme would rather have a Tuesday or a Thursday (warning)
    'sessions[0].date': '2027-01-11', 'sessions[0].start': '09:00', 'sessions[0].end': '15:00',
    'sessions[1].date': '2027-01-14', 'sessions[1].start': '09:00', 'sessions[1].end': '15:00',
    'trainees.first_degree': '10', 'trainees.second_degree': '10',
  };
  let r = await chef.post('/demandes', alp);
  assert.equal(r.status, 400);
  assert.match(r.text, /<p class="fr-error-text" id="f-hours-err">Durée en heures : nombre entier attendu\.<\/p>/);
  assert.match(r.text, /value="douze"/);
  assert.match(r.text, /<p class="fr-message fr-message--warning" id="f-sessions-0-date-warn">Thématique EABEP : la séance du lundi 11\/01\/2027 serait de préférence/);
  assert.match(r.text, /aria-describedby="f-sessions-0-date-warn"/);
  assert.match(r.text, /<div class="fr-alert fr-alert--warning[^>]*>[\s\S]*<a href="#f-sessions-0-date">Thématique EABEP/);
  assert.match(r.text, /<title>Erreur — Nouvelle demande : ALP IDG — Continuum<\/title>/);
  r = await chef.post('/demandes', { ...alp, hours: '12' });
  assert.equal(r.status, 303, 'a warning does not block');
  assert.match(r.headers.get('location'), /^\/demandes\/\d+\?ok=depot$/);
  // user text is escaped, kinds the account does not file are refused
  r = await chef.post('/demandes', { ...alp, title: '<b>x</b>' });
  assert.equal(r.status, 400);
  assert.match(r.text, /value="&lt;b&gt;x&lt;\/b&gt;"/);
  assert.equal((await chef.get('/demandes/nouvelle?type=ald')).status, 403);
  assert.equal((await chef.get('/demandes/nouvelle?type=teleportation')).status, 404);
});
