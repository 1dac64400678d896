// Browser tests of the bureau des stages (issue 4): a student ranks wishes in the open window;
// the bureau runs an assignment, reads the rank profile and a student's explanations, adjusts,
// publishes; the student then reads their placement and letter. Every page on the way gets an
// axe-core audit (no serious or critical violation), in Debian's Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, accessible, login as loginAs } from '../lib/browser.mjs';
import { demoDatabase, startServer } from '../lib/server.mjs';

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

/** Logs in as a demo account (tests/lib/browser.mjs). */
const login = (context, name) => loginAs(srv.url, context, name);

test('a student adds three wishes and moves one up, without a page reload script', async () => {
  const context = await browser.newContext();
  const page = await login(context, 'etudiant');
  await page.getByRole('link', { name: 'Mes vœux de stage' }).first().click();
  await page.getByRole('heading', { name: 'Mes vœux de stage' }).waitFor();
  await accessible(page, 'wishes page');
  // the demo student has ranked ten already: make room for three
  while (await page.locator('ol.continuum-wishes > li').count() > 7) {
    await page.getByRole('button', { name: 'Retirer le vœu 1', exact: true }).click();
    await page.getByText('Vos vœux sont enregistrés.').waitFor();
  }
  for (let k = 0; k < 3; k++) {
    const first = await page.locator('#w-place option[value]:not([value=""])').first().getAttribute('value');
    await page.selectOption('#w-place', first);
    await page.getByRole('button', { name: 'Ajouter ce vœu' }).click();
    await page.getByText('Vos vœux sont enregistrés.').waitFor();
  }
  const before = await page.locator('ol.continuum-wishes > li strong').allTextContents();
  assert.ok(before.length >= 3);
  await page.getByRole('button', { name: `Monter le vœu ${before.length}`, exact: true }).click();
  await page.getByText('Vos vœux sont enregistrés.').waitFor();
  const after = await page.locator('ol.continuum-wishes > li strong').allTextContents();
  assert.equal(after[before.length - 2], before[before.length - 1]);
  await accessible(page, 'wishes saved');
  await context.close();
});

test('ranking wishes works without JavaScript', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await login(context, 'etudiant');
  await page.goto(srv.url + '/stages/mes-voeux');
  const before = await page.locator('ol.continuum-wishes > li strong').allTextContents();
  assert.ok(before.length >= 2);
  await page.getByRole('button', { name: 'Descendre le vœu 1', exact: true }).click();
  await page.getByText('Vos vœux sont enregistrés.').waitFor();
  const after = await page.locator('ol.continuum-wishes > li strong').allTextContents();
  assert.deepEqual([after[0], after[1]], [before[1], before[0]]);
  await context.close();
});

test('the bureau runs, explains, adjusts and publishes; the student reads the result', async () => {
  const context = await browser.newContext();
  const page = await login(context, 'bureau.stages');
  await page.getByRole('link', { name: 'Bureau des stages' }).first().click();
  await page.getByRole('heading', { name: 'Bureau des stages' }).waitFor();
  await accessible(page, 'periods');
  await page.getByRole('link', { name: 'M2 MEEF — stage filé 2026-2027' }).click();
  await page.getByRole('button', { name: 'Calculer l’affectation' }).waitFor();
  await accessible(page, 'period');
  await page.locator('label[for="m-optimal"]').click(); // the DSFR draws the radio in its label
  assert.ok(await page.locator('#m-optimal').isChecked());
  await page.getByRole('button', { name: 'Calculer l’affectation' }).click();
  await page.getByText('L’affectation est calculée').waitFor();
  await accessible(page, 'run');
  assert.ok(await page.locator('svg.continuum-chart rect').count() >= 1);
  await page.getByRole('link', { name: 'Lettres à imprimer' }).click();
  await page.getByRole('heading', { name: 'Lettres d’affectation' }).waitFor();
  await accessible(page, 'letters to print');
  await page.goBack();
  await page.getByRole('link', { name: 'Voir seulement les étudiants sans lieu' }).click();
  await page.getByRole('heading', { name: /Étudiants sans lieu/ }).waitFor();
  await page.getByRole('link', { name: 'Voir tous les étudiants' }).click();
  // a student's page: wishes with explanations, adjustment forms
  await page.locator('table a[href*="/etudiants/"]').first().click();
  await page.getByRole('heading', { name: 'Vœux et explications' }).waitFor();
  await accessible(page, 'student of a run');
  if (await page.getByRole('button', { name: 'Retirer son lieu' }).count()) {
    await page.getByRole('button', { name: 'Retirer son lieu' }).click();
    const confirm = page.getByRole('button', { name: 'Confirmer malgré tout' });
    if (await confirm.count()) {
      await accessible(page, 'adjustment warning');
      await confirm.click();
    }
    await page.getByText('La modification est enregistrée.').waitFor();
  }
  await page.getByRole('link', { name: 'Affectation', exact: true }).click();
  await page.getByRole('button', { name: 'Publier cette affectation' }).click();
  await page.getByText('L’affectation est publiée').waitFor();
  await context.close();

  const student = await browser.newContext();
  const sp = await login(student, 'etudiant');
  await sp.goto(srv.url + '/stages/mon-stage');
  await sp.getByRole('heading', { name: 'Mon stage' }).waitFor();
  await accessible(sp, 'my internship');
  const letter = sp.getByRole('link', { name: 'Ma lettre d’affectation' }).first();
  if (await letter.count()) {
    await letter.click();
    await sp.getByRole('heading', { name: 'Lettre d’affectation en stage' }).waitFor();
    await accessible(sp, 'letter');
  }
  await student.close();
});

test('tutors and heads of establishment read their trainees', async () => {
  for (const name of ['formateur', 'chef.etab']) {
    const context = await browser.newContext();
    const page = await login(context, name);
    await page.goto(srv.url + '/stages/stagiaires');
    await page.getByRole('heading', { name: 'Mes stagiaires' }).waitFor();
    await accessible(page, `trainees of ${name}`);
    assert.ok(await page.locator('tbody tr').count() >= 1, `${name} sees trainees`);
    await context.close();
  }
});
