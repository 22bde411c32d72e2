// A phone's width (390×844): the home screen and a title page fit it, with
// no horizontal scrolling of the page (rows of posters scroll on their own).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { homeLoaded, horizontalOverflow, launch, openPage, someTitles, titleLoaded, visit, withScreenshots } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const PHONE = { width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

async function assertFits(page, screen) {
  const { width, scrollWidth, offenders } = await horizontalOverflow(page);
  assert.ok(
    scrollWidth <= width,
    `${screen} scrolls sideways at ${width}px: the page is ${scrollWidth}px wide; sticking out:\n  ${offenders.join('\n  ') || '(none found)'}`,
  );
}

test('home fits a phone', async () => {
  const page = await openPage(browser, { profile: 'profile-1', viewport: PHONE });
  await withScreenshots('mobile-home', page, async () => {
    await visit(page, '/');
    await homeLoaded(page);
    await assertFits(page, 'home');
  });
});

test('a title page fits a phone', async () => {
  const [title] = await someTitles(1);
  const page = await openPage(browser, { profile: 'profile-1', viewport: PHONE });
  await withScreenshots('mobile-title', page, async () => {
    await visit(page, `/title/${title.id}`);
    await titleLoaded(page);
    await page.waitForSelector('main [aria-label="Audience sentiment"]');
    await assertFits(page, 'the title page');
  });
});
