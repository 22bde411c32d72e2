// Search from the top bar, narrow the results with a genre facet, and use
// the browser's history: the address carries the facets (search params),
// so Back undoes the facet, Forward applies it again, and a reload (or a
// shared link) keeps it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { byRole, launch, openPage, screenshot, someTitles, visit, waitForPath, withScreenshots } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const GENRES = 'main [role="group"][aria-label="Genre"]';

/** The genre facet's chips: { name, pressed }. */
function genreChips(page) {
  return page.$$eval(`${GENRES} [role="button"]`, (chips) =>
    chips.map((c) => ({ name: c.textContent.trim(), pressed: c.getAttribute('aria-pressed') === 'true' })),
  );
}

/** The results heading ("Results for “q” · 22") once the results are in. */
async function resultsHeading(page) {
  await page.waitForSelector(`${GENRES} [role="button"]`);
  await page.waitForFunction(() => document.querySelector('main [role="progressbar"]') === null);
  return page.$eval('main h1', (h) => h.textContent.trim());
}

/** Waits for the results heading to be want (or, with differ, anything but want); returns it. */
async function headingTurns(page, want, { differ = false, message }) {
  try {
    await page.waitForFunction(
      (w, d) => {
        const text = document.querySelector('main h1')?.textContent.trim();
        return text !== undefined && (d ? text !== w : text === w) && document.querySelector('main [role="progressbar"]') === null;
      },
      {},
      want,
      differ,
    );
  } catch {
    assert.fail(`${message}: the heading says "${await page.$eval('main h1', (h) => h.textContent.trim()).catch(() => '')}"`);
  }
  return resultsHeading(page);
}

/** Whether a facet chip is pressed. */
function anyPressed(page, pressed) {
  return page.waitForFunction(
    (sel, want) => [...document.querySelectorAll(sel)].some((c) => c.getAttribute('aria-pressed') === 'true') === want,
    {},
    `${GENRES} [role="button"]`,
    pressed,
  );
}

function pressedGenres(chips) {
  return chips.filter((c) => c.pressed).map((c) => c.name.replace(/\s*\(\d+\)$/, ''));
}

test('a genre facet is in the address, and Back undoes it', async () => {
  // A word of a catalog title's name finds it and others like it.
  const [title] = await someTitles(1);
  const word = title.name.split(/\s+/).find((w) => w.length >= 4) ?? title.name;
  const page = await openPage(browser, { profile: 'profile-1' });
  await withScreenshots('search', page, async () => {
    await visit(page, '/');
    const box = await byRole(page, 'textbox', 'Search');
    await box.type(word);
    await box.press('Enter');
    await waitForPath(page, /^\/search\?/);
    const plain = await page.evaluate(() => location.pathname + location.search);
    assert.equal(new URLSearchParams(plain.split('?')[1]).get('q'), word);
    const plainHeading = await resultsHeading(page);
    assert.deepEqual(pressedGenres(await genreChips(page)), [], 'no facet is on at first');

    // A genre that narrows the results: fewer titles than the search has.
    const total = Number(/·\s*(\d+)/.exec(plainHeading)?.[1] ?? NaN);
    const chips = await genreChips(page);
    const narrower = chips.find((c) => Number(/\((\d+)\)$/.exec(c.name)?.[1] ?? NaN) < total) ?? chips[0];
    const genre = narrower.name.replace(/\s*\(\d+\)$/, '');
    const chip = (await page.$$(`${GENRES} [role="button"]`))[chips.indexOf(narrower)];
    await chip.click();
    await page.waitForFunction(
      (sel, g) => [...document.querySelectorAll(sel)].some((c) => c.textContent.trim().startsWith(`${g} (`) && c.getAttribute('aria-pressed') === 'true'),
      {},
      `${GENRES} [role="button"]`,
      genre,
    );
    const faceted = await page.evaluate(() => location.pathname + location.search);
    const params = new URLSearchParams(faceted.split('?')[1]);
    assert.notEqual(faceted, plain, `the facet ${genre} is not in the address (still ${plain})`);
    assert.equal(params.get('q'), word, 'the query stays in the address');
    assert.ok([...params.keys()].some((k) => k !== 'q'), `the address ${faceted} names no facet`);
    const facetedHeading = await headingTurns(page, plainHeading, { differ: true, message: `the facet ${genre} did not change the results` });
    await screenshot(page, 'search');

    // Back: the facet is off and the results are the plain search's.
    await page.goBack();
    await waitForPath(page, new RegExp(`^${literal(plain)}$`));
    await anyPressed(page, false);
    await headingTurns(page, plainHeading, { message: 'Back did not bring the plain results back' });

    // Forward: the facet again.
    await page.goForward();
    await waitForPath(page, new RegExp(`^${literal(faceted)}$`));
    await anyPressed(page, true);
    await headingTurns(page, facetedHeading, { message: 'Forward did not bring the faceted results back' });

    // A reload (a shared link) keeps it.
    await page.reload({ waitUntil: 'domcontentloaded' });
    await anyPressed(page, true);
    assert.deepEqual(pressedGenres(await genreChips(page)), [genre]);
    await headingTurns(page, facetedHeading, { message: 'the reloaded address lost the facet' });
  });
});

function literal(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
