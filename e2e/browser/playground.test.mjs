// The GraphQL playground works offline: every request off the server is
// refused, and it still loads (its editor and workers are bundled), runs
// its example query as the signed-in profile and shows the answer.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, launch, openPage, withScreenshots } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('the playground runs a query with no network beyond the server', async () => {
  const page = await openPage(browser, { profile: 'profile-1' });
  const origin = new URL(BASE).origin;
  const refused = [];
  await page.setRequestInterception(true);
  page.on('request', (req) => {
    const url = req.url();
    if (url.startsWith(`${origin}/`) || url.startsWith('data:') || url.startsWith('blob:')) {
      req.continue();
    } else {
      refused.push(url);
      req.abort('internetdisconnected');
    }
  });
  await withScreenshots('playground', page, async () => {
    await page.goto(new URL('/playground', BASE).toString(), { waitUntil: 'domcontentloaded' });
    const run = await page.waitForSelector('[aria-label^="Execute query"]');
    // The example query's editor is filled in before it may run.
    await page.waitForFunction(() => /query\s+Home/.test(document.querySelector('[aria-label="Operation Editor"]')?.textContent ?? ''));
    await run.click();
    const result = await page.waitForFunction(
      () => {
        const text = document.querySelector('section[aria-label="Result Window"]')?.textContent ?? '';
        return /"data"/.test(text) && /"viewer"/.test(text) ? text : false;
      },
    );
    const text = (await result.jsonValue()).replace(/\u00a0/g, ' ');
    assert.doesNotMatch(text, /"errors"/, `the query failed: ${text}`);
    assert.match(text, /"name":\s*"[^"]+"/, 'the answer names the viewer');
    assert.deepEqual(refused, [], 'the playground asked for nothing off the server');
  });
});
