// Browse, open a title, add it to My List, find it on the home screen's
// My List row (also after a reload: the server kept it), then remove it
// again so the profile's list is as it was.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { byRole, homeLoaded, launch, openPage, titleLoaded, visit, waitForPath, withScreenshots } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The links of the home screen's My List row, as title paths. */
function myListLinks(page) {
  return page.$$eval('main section[aria-label="My List"] a[href^="/title/"]', (as) => as.map((a) => a.getAttribute('href')));
}

test('browse, open a title, add it to My List, see it there, remove it', async () => {
  const page = await openPage(browser, { profile: 'profile-3' });
  await withScreenshots('mylist', page, async () => {
    await visit(page, '/');
    await homeLoaded(page);
    const before = await myListLinks(page);

    await (await byRole(page, 'button', 'Browse')).click();
    await waitForPath(page, /^\/browse/);
    await byRole(page, 'heading', 'Browse');
    // The grid's posters link to their titles; take one not in the list yet.
    const card = await page.waitForFunction(
      (skip) =>
        [...document.querySelectorAll('main a[href^="/title/"]')].find((a) => !skip.includes(a.getAttribute('href'))),
      {},
      before,
    );
    const href = await card.evaluate((a) => a.getAttribute('href'));
    await card.click();
    await waitForPath(page, new RegExp(`^${href}$`));
    await titleLoaded(page);
    const name = await page.$eval('main h1', (h) => h.textContent.trim());
    assert.ok(name, 'the title page has a heading');

    const add = await byRole(page, 'button', 'My List');
    assert.equal(await add.evaluate((b) => b.getAttribute('aria-pressed')), 'false');
    await add.click();
    // Pressed at once (optimistic), enabled again once the server answered.
    const added = await byRole(page, 'button', 'In My List');
    await page.waitForFunction((b) => b.getAttribute('aria-pressed') === 'true' && !b.disabled, {}, added);

    await (await byRole(page, 'button', 'Home')).click();
    await waitForPath(page, /^\/$/);
    await homeLoaded(page);
    await page.waitForSelector(`main section[aria-label="My List"] a[href="${href}"]`);
    // The server has it, not just the page's cache.
    await page.reload({ waitUntil: 'domcontentloaded' });
    await homeLoaded(page);
    const row = await page.waitForSelector(`main section[aria-label="My List"] a[href="${href}"]`);
    assert.match(await row.evaluate((a) => a.textContent), new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));

    // Remove it from the title page the row links to.
    await row.click();
    await waitForPath(page, new RegExp(`^${href}$`));
    await titleLoaded(page);
    const remove = await byRole(page, 'button', 'In My List');
    await page.waitForFunction((b) => !b.disabled, {}, remove);
    await remove.click();
    const removed = await byRole(page, 'button', 'My List');
    await page.waitForFunction((b) => b.getAttribute('aria-pressed') === 'false' && !b.disabled, {}, removed);
    await visit(page, '/');
    await homeLoaded(page);
    assert.deepEqual(await myListLinks(page), before, 'My List is back as it was');
  });
});
