// axe-core's accessibility rules (WCAG 2 A/AA and best practices) on every
// screen: home, browse, a title, search with a facet, My List (the home
// screen's row, with a title in it), the playground, and /ops for an
// admin. A serious or critical violation fails its screen; every violation
// found is printed (rule, impact, elements) so it can be fixed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  axe,
  BASE,
  byRole,
  graphql,
  homeLoaded,
  launch,
  openPage,
  screenshot,
  someTitles,
  titleLoaded,
  visit,
  waitForPath,
  withScreenshots,
} from './lib.mjs';

const PROFILE = 'profile-2';
/** The seeded profile signed in as an admin (the admin scope on its demo tokens) for /ops. */
const ADMIN = 'profile-1';

let browser;
let page;
let title;
const found = [];

before(async () => {
  browser = await launch();
  page = await openPage(browser, { profile: PROFILE });
  [title] = await someTitles(1);
});
after(async () => {
  // My List as it was.
  if (title) {
    await graphql('mutation($id: ID!) { removeFromMyList(titleId: $id) { id } }', { id: title.id }, PROFILE).catch(() => {});
  }
  await browser?.close();
  if (found.length) {
    console.log(`\naxe-core violations, all screens (${found.length}):`);
    for (const v of found) {
      const shown = v.targets.slice(0, 6);
      if (v.targets.length > shown.length) shown.push(`… and ${v.targets.length - shown.length} more`);
      console.log(`  ${v.screen}: ${v.impact} ${v.id} (${v.help})${v.detail ? `\n      first: ${v.detail}\n      in: ${v.html}` : ''}\n      ${shown.join('\n      ')}`);
    }
  }
});

/** Checks the page as it is now: prints its violations, fails on serious or critical ones. */
async function check(screen) {
  const violations = await axe(page);
  for (const v of violations) found.push({ screen, ...v });
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    blocking.map((v) => `${v.impact} ${v.id}: ${v.targets.slice(0, 5).join(', ')}${v.targets.length > 5 ? ', …' : ''}`),
    [],
    `${screen}: serious or critical accessibility violations`,
  );
}

function screen(name, fn) {
  return test(name, () => withScreenshots(`a11y-${name.replace(/\s+/g, '-')}`, page, async () => {
    await fn();
    await check(name);
  }));
}

describe('accessibility', { concurrency: 1 }, () => {
  screen('home', async () => {
    await visit(page, '/');
    await homeLoaded(page);
  });

  screen('browse', async () => {
    await (await byRole(page, 'button', 'Browse')).click();
    await waitForPath(page, /^\/browse/);
    await page.waitForSelector('main a[href^="/title/"]');
  });

  screen('title', async () => {
    await visit(page, `/title/${title.id}`);
    await titleLoaded(page);
    await page.waitForSelector('main [aria-label="Audience sentiment"]');
  });

  screen('my list', async () => {
    await graphql('mutation($id: ID!) { addToMyList(titleId: $id) { id } }', { id: title.id }, PROFILE);
    await visit(page, '/');
    await homeLoaded(page);
    await page.waitForSelector(`main section[aria-label="My List"] a[href="/title/${title.id}"]`);
    await screenshot(page, 'home');
  });

  screen('search', async () => {
    const word = title.name.split(/\s+/).find((w) => w.length >= 4) ?? title.name;
    await visit(page, `/search?q=${encodeURIComponent(word)}`);
    const chip = await page.waitForSelector('main [role="group"][aria-label="Genre"] [role="button"]');
    await chip.click();
    await page.waitForSelector('main [role="group"][aria-label="Genre"] [role="button"][aria-pressed="true"]');
    await page.waitForFunction(() => document.querySelector('main [role="progressbar"]') === null);
  });

  screen('playground', async () => {
    await page.goto(new URL('/playground', BASE).toString(), { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('[aria-label^="Execute query"]');
    await page.waitForFunction(() => /query\s+Home/.test(document.querySelector('[aria-label="Operation Editor"]')?.textContent ?? ''));
  });

  test('ops (admin)', async () => {
    const admin = await openPage(browser, { profile: ADMIN, admin: true });
    try {
      await withScreenshots('a11y-ops', admin, async () => {
        await visit(admin, '/ops');
        await admin.waitForFunction(() => document.querySelector('main')?.textContent.trim() !== '');
        assert.doesNotMatch(await admin.$eval('main', (m) => m.textContent), /nothing at this address/i, 'the web app has no /ops screen');
        await admin.waitForSelector('main h1');
        await admin.waitForFunction(
          () => document.querySelector('main [role="progressbar"]') === null && document.querySelector('main section[aria-label]') !== null,
        );
        await screenshot(admin, 'ops');
        const saved = page;
        page = admin;
        try {
          await check('ops');
        } finally {
          page = saved;
        }
      });
    } finally {
      await admin.browserContext().close();
    }
  });
});
