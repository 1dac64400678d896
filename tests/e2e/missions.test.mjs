// The story of issue 5, in a browser: a new head of establishment, with an
// IEN as co-requester, files an ALP IDG (seed 001) that breaks three rules and reads the three
// French messages; fixes it; the coordination triages and validates it, reads the trainer pair
// proposed with the reasons behind each, and assigns it; both trainers accept from their own
// accounts (the mission waits in their inbox); the sessions are set on allowed days and the
// action scheduled; the mission orders print. Every page passes the axe-core audit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, accessible, login as loginAs } from '../lib/browser.mjs';
import { demoDatabase, startServer, tokenFor, cli, DEMO_PASSWORD } from '../lib/server.mjs';

let srv, browser, db;
before(async () => {
  ({ db } = demoDatabase());
  srv = await startServer(db);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});
const login = (context, name) => loginAs(srv.url, context, name);

/** Creates an account with the demo password (the administrator's command line). */
function account(login, role, extra) {
  const r = cli(['user', 'add', '--db', db, '--login', login, '--role', role, ...extra], DEMO_PASSWORD + '\n');
  assert.equal(r.status, 0, r.stderr);
}

/** The establishment of the demo head of establishment, through the API. */
async function demoUai() {
  const res = await fetch(srv.url + '/api/v1/me', { headers: { authorization: `Bearer ${tokenFor(db, 'chef.etab')}` } });
  const me = await res.json();
  assert.equal(me.scope_kind, 'establishment');
  return me.scope_value;
}

const press = (page, name) => page.getByRole('button', { name, exact: true }).click();

test('story: an ALP IDG from filing to printed mission orders', async () => {
  const uai = await demoUai();
  account('mme.durand', 'requester', ['--name', 'Mme Durand', '--scope', `establishment:${uai}`]);

  // 1. The new head of establishment files an ALP IDG that breaks three rules.
  const chef = await browser.newContext();
  let page = await login(chef, 'mme.durand');
  await page.getByRole('link', { name: 'Demandes de formation' }).first().click();
  await page.getByRole('link', { name: 'Action locale prioritaire interdegrés (ALP IDG)' }).click();
  const title = 'Prévenir le harcèlement, de l’école au collège';
  await page.fill('#f-title', title);
  await page.selectOption('#f-requesters-0-role', 'chef_etablissement');
  await page.fill('#f-requesters-0-name', 'Mme Durand');
  await page.fill('#f-requesters-0-place', uai);
  await page.fill('#f-requesters-1-name', '');
  await page.fill('#f-requesters-1-place', '');
  await page.fill('#f-sectors', '2');
  await page.click('label[for=f-format-nouveau_theme]'); // DSFR draws the radio on its label
  await page.fill('#f-theme', 'Prévention du harcèlement et climat scolaire');
  await page.click('label[for=f-academic_trainers]');
  await page.fill('#f-hours', '12');
  await page.fill('#f-days', '2');
  await page.fill('#f-sessions-0-date', '2027-01-12');
  await page.fill('#f-sessions-0-start', '09:00');
  await page.fill('#f-sessions-0-end', '15:00');
  await page.fill('#f-sessions-1-date', '2027-01-15'); // a Friday, with academic trainers
  await page.fill('#f-sessions-1-start', '09:00');
  await page.fill('#f-sessions-1-end', '15:00');
  await page.fill('#f-trainees-first_degree', '16');
  await page.fill('#f-trainees-second_degree', '16'); // 32, not announced
  await press(page, 'Déposer la demande');
  const errors = await page.locator('.fr-error-text').allTextContents();
  assert.deepEqual(errors, [
    'Une ALP IDG est demandée conjointement par au moins un chef d’établissement et un IEN de circonscription : il manque un IEN de circonscription.',
    'Le vendredi 15/01/2027 ne convient pas : avec des formateurs académiques, une ALP IDG a lieu le lundi, le mardi, le mercredi matin ou le jeudi.',
    '32 stagiaires : au-delà de 30, la demande doit annoncer le nombre de stagiaires prévu.',
  ]);
  // 2. Fixed: the IEN co-requests, the Friday becomes a Thursday, the 32 trainees are announced.
  await page.selectOption('#f-requesters-1-role', 'ien');
  await page.fill('#f-requesters-1-name', 'M. Petit');
  await page.fill('#f-requesters-1-place', 'Villeurbanne Nord');
  await page.fill('#f-sessions-1-date', '2027-03-11');
  await page.fill('#f-trainees-declared_max', '32');
  await press(page, 'Déposer la demande');
  await page.getByText('La demande est déposée').waitFor();
  const id = page.url().match(/\/demandes\/(\d+)/)[1];
  const requestUrl = `${srv.url}/demandes/${id}`;

  // 3. The coordination finds it in its inbox, triages and validates it.
  const coord = await browser.newContext();
  const cpage = await login(coord, 'coordination');
  await cpage.getByRole('link', { name: 'Boîte de réception' }).click();
  await cpage.getByRole('link', { name: `Demande à prendre en charge : « ${title} »` }).click();
  await press(cpage, 'Prendre en charge');
  await press(cpage, 'Valider');
  await cpage.getByText('État : validée').first().waitFor();

  // 4. A pair is proposed, each trainer with the facts behind the proposal.
  await cpage.getByRole('heading', { name: 'Formateurs proposés' }).waitFor();
  await accessible(cpage, 'the proposals');
  for (const legend of ['Formateur du 1er degré', 'Formateur du 2d degré']) {
    const set = cpage.getByRole('group', { name: legend });
    const first = set.getByRole('radio').first();
    assert.equal(await first.isChecked(), true);
    const text = await set.textContent();
    assert.match(text, /Compétence validée « Prévention du harcèlement »/);
    assert.match(text, /Disponible le [^.]*mardi[^.]*jeudi/);
    assert.match(text, /h libres sur \d+ h de quota, 12 h pour cette action/);
    assert.match(text, /balance des heures/);
  }
  const d1 = await cpage.getByRole('group', { name: 'Formateur du 1er degré' }).getByRole('radio').first().getAttribute('value');
  const d2 = await cpage.getByRole('group', { name: 'Formateur du 2d degré' }).getByRole('radio').first().getAttribute('value');
  account('binome.premier', 'trainer', ['--scope', 'self', '--trainer', d1]);
  account('binome.second', 'trainer', ['--scope', 'self', '--trainer', d2]);
  await press(cpage, 'Affecter les formateurs choisis');
  await cpage.getByText('État : affectée').first().waitFor();
  assert.equal(await cpage.getByRole('cell', { name: 'en attente de réponse' }).count(), 2);

  // 5. Each trainer accepts from their own account.
  for (const [who, via] of [['binome.premier', 'inbox'], ['binome.second', 'missions']]) {
    const tctx = await browser.newContext();
    const tpage = await login(tctx, who);
    if (via === 'inbox') {
      await tpage.getByRole('link', { name: 'Boîte de réception' }).click();
      await tpage.getByRole('link', { name: `Mission à accepter : « ${title} »` }).click();
    } else {
      await tpage.getByRole('link', { name: 'Mes missions' }).click();
      await accessible(tpage, 'my missions');
      await tpage.getByRole('link', { name: title }).click();
    }
    await accessible(tpage, 'the mission to accept');
    await press(tpage, 'Accepter la mission');
    await tpage.getByText('La mission est acceptée').waitFor();
    await tctx.close();
  }

  // 6. The sessions on allowed days (a Tuesday and a Thursday), then the action is scheduled.
  await cpage.goto(requestUrl);
  assert.equal(await cpage.getByRole('cell', { name: 'acceptée' }).count(), 2);
  for (const date of ['2027-01-12', '2027-03-11']) {
    await cpage.fill('#s-date', date);
    await cpage.fill('#s-start', '09:00');
    await cpage.fill('#s-end', '15:00');
    await cpage.fill('#s-place', 'Collège du secteur');
    await cpage.selectOption('#s-modality', 'presentiel');
    await press(cpage, 'Ajouter la séance');
    await cpage.getByText('La séance est ajoutée').waitFor();
  }
  await press(cpage, 'Planifier');
  await cpage.getByText('État : planifiée').first().waitFor();
  await accessible(cpage, 'the scheduled action');

  // 7. The mission orders print: one per trainer, one per degree of trainees.
  await cpage.getByRole('link', { name: 'Ordres de mission (formateurs et stagiaires)' }).click();
  await accessible(cpage, 'the mission orders');
  assert.equal(await cpage.getByRole('heading', { name: 'Ordre de mission — intervenant' }).count(), 2);
  assert.equal(await cpage.getByRole('heading', { name: /Ordre de mission — stagiaires du (premier|second) degré/ }).count(), 2);
  assert.equal(await cpage.getByRole('cell', { name: 'mardi 12/01/2027' }).count() >= 1, true);
  await cpage.emulateMedia({ media: 'print' });
  assert.equal(await cpage.locator('header.fr-header').isVisible(), false, 'the print hides the header');
  const pdf = await cpage.pdf({ format: 'A4' });
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  await cpage.emulateMedia({ media: 'screen' });
  await cpage.goto(`${requestUrl}/contrat`);
  await cpage.getByRole('heading', { name: 'Contrat d’action locale prioritaire interdegrés (ALP IDG)' }).waitFor();
  await accessible(cpage, 'the ALP contract');
  await chef.close();
  await coord.close();
});

/** Today in Paris as AAAA-MM-JJ parts. */
function parisToday() {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date());
  const get = (t) => Number(parts.find((p) => p.type === t).value);
  return { y: get('year'), m: get('month'), d: get('day') };
}

test('an ANT filed outside the windows the comité de pilotage set is refused with the window', async () => {
  // Seed 000: ANT requests are received from 15 June to 8 July, then from 21 August. The comité
  // de pilotage keeps only the first window for this campaign, and moves the coming campaign's
  // to a day ahead: today falls in neither.
  const { y, m, d } = parisToday();
  const first = m >= 9 ? y : y - 1;
  const ahead = new Date(Date.UTC(y, m - 1, d + 3)).toISOString().slice(0, 10);
  const steering = await browser.newContext();
  const spage = await login(steering, 'copil');
  await spage.getByRole('link', { name: 'Campagnes' }).click();
  await spage.getByRole('heading', { name: `Campagne ${first}-${first + 1}` }).waitFor();
  await accessible(spage, 'the campaign');
  assert.equal(await spage.inputValue('#ant-w1_from'), `${first}-08-21`, 'the seed’s second window');
  await spage.fill('#ant-w1_from', '');
  await spage.fill('#ant-w1_to', '');
  // a window that ends before it starts is refused, and nothing changes
  await spage.fill('#ant-w0_to', `${first}-06-01`);
  await press(spage, 'Enregistrer les réglages : Aide négociée de territoire (ANT)');
  await spage.getByText('Les réglages n’ont pas été enregistrés').waitFor();
  assert.match(await spage.locator('.fr-alert--error').textContent(), /ANT : fenêtre de dépôt n°1 : la fin doit suivre le début\./);
  await spage.goto(`${srv.url}/campagnes/${first}`);
  assert.equal(await spage.inputValue('#ant-w1_from'), `${first}-08-21`);
  await spage.fill('#ant-w1_from', '');
  await spage.fill('#ant-w1_to', '');
  // the campaign's catalogue of themes (seed 000: « un catalogue non limitatif de thématiques »)
  await spage.fill('#ant-themes', 'Climat scolaire et prévention du harcèlement\n\nÉvaluation par compétences\n');
  await press(spage, 'Enregistrer les réglages : Aide négociée de territoire (ANT)');
  await spage.getByText('Les réglages sont enregistrés.').waitFor();
  assert.equal(await spage.inputValue('#ant-w1_from'), '');
  await spage.goto(`${srv.url}/campagnes/${first + 1}`);
  for (const [id, v] of [['#ant-w0_from', ahead], ['#ant-w0_to', ahead], ['#ant-w1_from', ''], ['#ant-w1_to', '']])
    await spage.fill(id, v);
  await press(spage, 'Enregistrer les réglages : Aide négociée de territoire (ANT)');
  await spage.getByText('Les réglages sont enregistrés.').waitFor();
  await steering.close();

  // A complete ANT from the head of establishment: only the window is wrong.
  const chef = await browser.newContext();
  const page = await login(chef, 'chef.etab');
  await page.goto(`${srv.url}/demandes/nouvelle?type=ant`);
  assert.match(await page.locator('.fr-callout').textContent(), new RegExp(`les demandes d’ANT sont reçues du 15/06/${first} au 08/07/${first}\\.`));
  assert.deepEqual(await page.locator('#ant-catalogue li').allTextContents(),
    ['Climat scolaire et prévention du harcèlement', 'Évaluation par compétences']);
  await page.fill('#f-title', 'Climat scolaire au collège');
  await page.fill('#f-team-0-name', 'Mme Martin');
  await page.fill('#f-team-0-function', 'professeure de lettres');
  await page.fill('#f-team-1-name', 'M. Diallo');
  await page.fill('#f-team-1-function', 'CPE');
  await page.click('label[for=f-scale-etablissement]');
  await page.fill('#f-theme', 'Prévenir le harcèlement');
  await page.click('label[for=f-chef_etablissement-agreement]');
  await press(page, 'Déposer la demande');
  await page.getByRole('heading', { name: 'La demande n’a pas été enregistrée : 1 problème à corriger' }).waitFor();
  const dd = (n) => String(n).padStart(2, '0');
  assert.deepEqual(await page.locator('#erreurs li').allTextContents(), [
    `Les demandes d’ANT de la campagne ${first}-${first + 1} sont reçues du 15/06/${first} au 08/07/${first} ; celle-ci arrive le ${dd(d)}/${dd(m)}/${y}.`,
  ]);
  await accessible(page, 'the ANT refused for its window');
  await chef.close();
});
