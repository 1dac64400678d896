// What the browser tests share: Debian's Chromium driven by playwright-core, the axe-core audit
// every page must pass (no serious or critical violation), and logging in through the form.
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { DEMO_PASSWORD } from './server.mjs';

/** Launches Chromium ($CHROMIUM or Debian's /usr/bin/chromium), quiet and sandbox-free. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Fails on any serious or critical axe violation of the current page. */
export async function accessible(page, what) {
  const res = await new AxeBuilder({ page }).analyze();
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`), [], what);
}

/** Logs in as a demo account in a new page of context; resolves to the page, on the home page. */
export async function login(url, context, name) {
  const page = await context.newPage();
  await page.goto(url + '/connexion');
  await page.getByLabel('Identifiant').fill(name);
  await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(url + '/');
  return page;
}
