// Browser tests with Playwright driving Debian's Chromium (issue 3): the story a new user walks
// — log in as a coordinator, search trainers in French, open a profile; log in as an inspector
// and validate a competence a trainer declared — and an axe-core audit of every page on the
// way, which must find no serious or critical violation.
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

test('the login page is accessible and refuses a wrong password', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(srv.url + '/connexion');
  await accessible(page, 'login page');
  await page.getByLabel('Identifiant').fill('coordination');
  await page.getByLabel('Mot de passe').fill('pas-le-bon');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByText('Identifiant ou mot de passe incorrect').waitFor();
  await accessible(page, 'login page with an error');
  await context.close();
});

test('a coordinator searches trainers in French and opens a profile', async () => {
  const context = await browser.newContext();
  const page = await login(context, 'coordination');
  await page.getByRole('heading', { name: /Bonjour/ }).waitFor();
  await accessible(page, 'home page');
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Cartographie des formateurs' }).click();
  await accessible(page, 'search page');
  await page.getByLabel(/^Rechercher/).fill('inclusive');
  await page.getByLabel('Degré').selectOption('1D');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  const heading = page.getByRole('heading', { name: /formateur\(s\) trouvé\(s\)/ });
  await heading.waitFor();
  const count = Number((await heading.textContent()).replace(/\D/g, ''));
  assert.ok(count > 0, 'inclusive finds trainers with "École inclusive" competences');
  await accessible(page, 'search results');
  const first = page.locator('.continuum-results .fr-card__title a').first();
  const name = (await first.textContent()).trim();
  await first.click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
  await page.getByRole('heading', { name: 'Compétences' }).waitFor();
  await accessible(page, 'trainer profile');
  await context.close();
});

test('an inspector validates a competence a trainer declared', async () => {
  // The trainer declares a competence from their own profile.
  const tctx = await browser.newContext();
  const tpage = await login(tctx, 'formateur');
  await tpage.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Mon profil' }).click();
  await tpage.getByRole('heading', { name: 'Déclarer une compétence' }).waitFor();
  await accessible(tpage, 'own profile');
  const options = await tpage.locator('#f-competence option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  await tpage.locator('#f-competence').selectOption(options[options.length - 1]);
  await tpage.locator('#f-level').selectOption('3');
  await tpage.getByRole('button', { name: 'Déclarer' }).click();
  await tpage.getByText('La compétence a été déclarée').waitFor();
  const trainerName = (await tpage.getByRole('heading', { level: 1 }).textContent()).trim();
  await tpage.goto(tpage.url().split('?')[0] + '/modifier');
  await accessible(tpage, 'profile edit form');
  await tctx.close();

  // The inspector finds it in the validation queue and validates it.
  const ictx = await browser.newContext();
  const page = await login(ictx, 'inspecteur');
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Validations' }).click();
  await page.getByRole('heading', { name: 'Compétences à valider' }).waitFor();
  await accessible(page, 'validation queue');
  // The queue is oldest first; the new declaration is at its end. Find the trainer by name.
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Cartographie des formateurs' }).click();
  await page.getByLabel(/^Rechercher/).fill(trainerName);
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.locator('.continuum-results .fr-card__title a', { hasText: trainerName }).first().click();
  await page.getByRole('heading', { level: 1, name: trainerName }).waitFor();
  const validate = page.getByRole('button', { name: /^Valider/ }).first();
  const label = (await validate.textContent()).replace(/^Valider « (.*) »$/, '$1');
  await validate.click();
  await page.getByText('La compétence a été validée').waitFor();
  const row = page.locator('tr', { hasText: label });
  await row.getByText('validée', { exact: true }).first().waitFor();
  await accessible(page, 'profile after validation');
  await ictx.close();
});

test('pages work without JavaScript', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await login(context, 'coordination');
  await page.goto(srv.url + '/formateurs?q=education&site=rhone');
  await page.getByRole('heading', { name: /formateur\(s\) trouvé\(s\)/ }).waitFor();
  await page.getByRole('link', { name: 'Page suivante' }).first().click();
  await page.getByText(/Page 2 sur/).first().waitFor();
  await context.close();
});
