// Two viewers (two browser contexts signed in as two demo profiles) in the
// same title's watch party: a message one posts reaches the other live,
// and the audience-sentiment card's message count goes up on both pages
// without a reload.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { byRole, launch, openPage, screenshot, someTitles, titleLoaded, visit, withScreenshots } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const PARTY = 'main section[aria-label="Watch party"]';
const SENTIMENT = 'main [aria-label="Audience sentiment"]';

/** The sentiment card's message count ("… from 3 messages"; "No chat messages yet" is 0). */
function sentimentCount(page) {
  return page.$eval(SENTIMENT, (card) => {
    const text = card.textContent;
    if (/no (chat )?messages yet/i.test(text)) return 0;
    const m = /(\d+)\s+messages?\b/i.exec(text);
    return m ? Number(m[1]) : null;
  });
}

/** Waits for the watch party to be live (its subscription up), else polled. */
async function partyReady(page) {
  await titleLoaded(page);
  await page.waitForSelector(SENTIMENT);
  await page.waitForFunction(
    (sel) => [...(document.querySelector(sel)?.querySelectorAll('*') ?? [])].some((el) => el.children.length === 0 && el.textContent.trim() === 'Live'),
    {},
    PARTY,
  );
}

async function post(page, text) {
  const box = await byRole(page, 'textbox', 'Message');
  await box.type(text);
  await (await byRole(page, 'button', 'Send')).click();
  // The draft is cleared once the server took it.
  await page.waitForFunction((b) => b.value === '', {}, box);
}

function shows(page, text, timeout) {
  return page.waitForFunction(
    (sel, t) => document.querySelector(`${sel} [aria-label="Messages"]`)?.textContent.includes(t),
    { timeout },
    PARTY,
    text,
  );
}

test('a watch-party message reaches the other profile, and the sentiment count follows live', async () => {
  // Not the titles the other files open.
  const [, , title] = await someTitles(3);
  const [margaret, alan] = [await openPage(browser, { profile: 'profile-4' }), await openPage(browser, { profile: 'profile-5' })];
  await withScreenshots('watchparty', [margaret, alan], async () => {
    await Promise.all([visit(margaret, `/title/${title.id}`), visit(alan, `/title/${title.id}`)]);
    await Promise.all([partyReady(margaret), partyReady(alan)]);
    const before = await sentimentCount(alan);
    assert.notEqual(before, null, 'the sentiment card shows a message count');

    const stamp = Date.now().toString(36);
    const hello = `What a wonderful, beautiful ending! ${stamp}`;
    await post(margaret, hello);
    await shows(margaret, hello, 5_000);
    await shows(alan, hello, 10_000);

    const reply = `I loved it too, brilliant cast. ${stamp}`;
    await post(alan, reply);
    await shows(margaret, reply, 10_000);
    await screenshot(alan, 'title-watch-party');

    // The insights subgraph scores each message; the card counts them as
    // they come, without a reload.
    const want = before + 2;
    for (const [who, page] of [['the poster', margaret], ['the other viewer', alan]]) {
      try {
        await page.waitForFunction(
          (sel, n) => new RegExp(`\\b${n}\\s+messages?\\b`, 'i').test(document.querySelector(sel)?.textContent ?? ''),
          { timeout: 10_000 },
          SENTIMENT,
          want,
        );
      } catch {
        assert.fail(
          `the audience-sentiment card of ${who} did not update live: it counts ${await sentimentCount(page)} messages, want ${want} (${before} before, then two posted)`,
        );
      }
    }
    await screenshot(alan, 'title-watch-party');
  });
});
