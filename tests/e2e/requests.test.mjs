// Browser test of training requests (issue 5, slice a): a head of establishment files a FIL
// request from the form, the coordination finds it in its queue and triages it; every page on
// the way passes the axe-core audit (no serious or critical violation).
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
const login = (context, name) => loginAs(srv.url, context, name);

test('a FIL request goes from the head of establishment to the coordination queue', async () => {
  const context = await browser.newContext();
  const page = await login(context, 'chef.etab');
  await page.getByRole('link', { name: 'Demandes de formation' }).first().click();
  await page.getByRole('heading', { name: 'Nouvelle demande' }).waitFor();
  await accessible(page, 'requests, as a requester');
  await page.getByRole('link', { name: 'Formation d’initiative locale (FIL)' }).click();
  await page.getByRole('heading', { name: 'Nouvelle demande : Formation d’initiative locale (FIL)' }).waitFor();
  await accessible(page, 'the FIL form');
  await page.getByLabel('Intitulé').fill('Accueillir les élèves allophones');
  await page.getByLabel('Description du besoin').fill('Une journée pour l’équipe, en janvier.');
  await page.getByLabel('Public visé').fill('équipe pédagogique du collège');
  await page.getByLabel('Effectif prévu').fill('18');
  await page.getByRole('button', { name: 'Déposer la demande' }).click();
  await page.getByText('La demande est déposée').waitFor();
  await accessible(page, 'a request, as its filer');
  const url = page.url().replace(/\?.*/, '');
  await context.close();

  const coord = await browser.newContext();
  const cp = await login(coord, 'coordination');
  await cp.goto(srv.url + '/demandes?state=submitted');
  await cp.getByRole('link', { name: /Accueillir les élèves allophones/ }).click();
  await cp.getByRole('heading', { name: 'Suite à donner' }).waitFor();
  await accessible(cp, 'a request, as the coordination');
  await cp.getByRole('button', { name: /Prendre en charge/i }).click();
  await cp.getByText('La demande a changé d’état.').waitFor();
  assert.equal(cp.url().replace(/\?.*/, ''), url);
  await coord.close();
});
