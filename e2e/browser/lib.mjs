// Shared helpers of the browser suite (browser/*.test.mjs): headless
// Chromium through puppeteer-core against the web app that cinegraph serve
// serves at $CINEGRAPH_URL, signed in as a seeded demo profile.
//   CINEGRAPH_URL  the server (e2e/browser_test.go starts it)
//   CHROMIUM       the browser to drive (nothing is downloaded)
//   CINEGRAPH_E2E_ARTIFACTS    where a failing check leaves its screenshot
//   CINEGRAPH_E2E_SCREENSHOTS  when set, full-page screenshots of the main
//                              screens are saved there
import { readFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

export const BASE = process.env.CINEGRAPH_URL;
const executablePath = process.env.CHROMIUM;
if (!BASE || !executablePath) {
  throw new Error('set CINEGRAPH_URL (a running cinegraph serve) and CHROMIUM (a Chromium binary)');
}
const ARTIFACTS = process.env.CINEGRAPH_E2E_ARTIFACTS || '';
const SCREENSHOTS = process.env.CINEGRAPH_E2E_SCREENSHOTS || '';

/** How long one step may wait for the page (an element, an answer). */
export const STEP_MS = 15_000;

/**
 * What the web app keeps in localStorage: the demo profile it signs in as
 * (src/profile/profileStore.ts) and whether its tokens ask for the admin
 * scope (src/profile/adminStore.ts).
 */
const PROFILE_KEY = 'cinegraph.profile';
const ADMIN_KEY = 'cinegraph.admin';

export async function launch() {
  return puppeteer.launch({
    executablePath,
    headless: true,
    // Root in a container has no user namespaces for the sandbox; the pages
    // are our own.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--hide-scrollbars'],
    defaultViewport: { width: 1280, height: 900 },
  });
}

/**
 * A page in its own browser context (its own localStorage, so its own
 * sign-in), signed in as profile (as an admin with admin), with its
 * console errors (failed requests among them) and uncaught exceptions
 * collected in page.problems.
 */
export async function openPage(browser, { profile = 'profile-1', admin = false, viewport } = {}) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  if (viewport) await page.setViewport(viewport);
  page.setDefaultTimeout(STEP_MS);
  await page.evaluateOnNewDocument(
    (entries) => {
      try {
        for (const [key, value] of entries) {
          if (value === null) localStorage.removeItem(key);
          else localStorage.setItem(key, value);
        }
      } catch {
        // storage off: the app runs on its default profile
      }
    },
    [
      [PROFILE_KEY, profile],
      [ADMIN_KEY, admin ? 'true' : null],
    ],
  );
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // A persisted query the server has not seen yet is answered 400 and
    // sent again in full: not a problem.
    const apqMiss = /status of 400/.test(m.text()) && /\/graphql\?.*persistedQuery/.test(decodeURIComponent(m.location()?.url ?? ''));
    if (m.type() === 'error' && !apqMiss) page.problems.push(`console: ${m.text()}`);
  });
  return page;
}

/** Loads path (on the server) and waits for the app's first screen. */
export async function visit(page, pathname) {
  await page.goto(new URL(pathname, BASE).toString(), { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('main');
}

// The elements that have each role the suite looks for, natively or by
// the role attribute.
const ROLE_SELECTORS = {
  button: 'button, [role="button"], input[type="button"], input[type="submit"]',
  heading: 'h1, h2, h3, h4, h5, h6, [role="heading"]',
  textbox: 'input:not([type]), input[type="text"], input[type="search"], textarea, [role="textbox"]',
  link: 'a[href], [role="link"]',
  region: 'section[aria-label], section[aria-labelledby], [role="region"]',
  group: '[role="group"], fieldset',
};

/**
 * The element with this ARIA role and accessible name: its aria-label, the
 * text of its aria-labelledby, else its text. Names compare ignoring case
 * and runs of spaces (buttons are written in capitals by CSS, which
 * Chromium's accessible names follow). Waits for it to be there and
 * enabled unless options.enabled is false.
 */
export async function byRole(page, role, name, { timeout = STEP_MS, enabled = true } = {}) {
  const selector = ROLE_SELECTORS[role];
  if (!selector) throw new Error(`byRole: no selector for role ${role}`);
  try {
    const handle = await page.waitForFunction(
      (sel, want, enabled) => {
        const norm = (s) => (s ?? '').replace(/\s+/g, ' ').trim().toLowerCase();
        const nameOf = (el) => {
          const label = el.getAttribute('aria-label');
          if (label) return label;
          const by = el.getAttribute('aria-labelledby');
          if (by) return by.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
          return el.textContent;
        };
        return (
          [...document.querySelectorAll(sel)].find(
            (el) => norm(nameOf(el)) === norm(want) && el.getClientRects().length > 0 && (!enabled || !el.disabled),
          ) ?? false
        );
      },
      { timeout },
      selector,
      name,
      enabled,
    );
    return handle.asElement();
  } catch (err) {
    err.message = `no ${role} named "${name}" on ${page.url()}: ${err.message}`;
    throw err;
  }
}

/** Waits until the element matching selector (CSS) has text matching re; returns that text. */
export async function waitForText(page, selector, re, timeout = STEP_MS) {
  const handle = await page.waitForFunction(
    (sel, source, flags) => {
      const el = document.querySelector(sel);
      const text = el?.textContent ?? '';
      return new RegExp(source, flags).test(text) ? text : false;
    },
    { timeout },
    selector,
    re.source,
    re.flags,
  );
  return handle.jsonValue();
}

/** Waits for the address (path and query) to match re. */
export async function waitForPath(page, re, timeout = STEP_MS) {
  await page.waitForFunction(
    (source) => new RegExp(source).test(location.pathname + location.search),
    { timeout },
    re.source,
  );
}

/** The home screen's rows are loaded: no skeleton left, the heading names the viewer. */
export async function homeLoaded(page) {
  await page.waitForFunction(
    () =>
      /Welcome back, \S/.test(document.querySelector('main h1')?.textContent ?? '') &&
      document.querySelector('main section[aria-label="My List"]') !== null &&
      document.querySelector('main .MuiSkeleton-root') === null,
  );
}

/** A title page is loaded: its heading and its watch party. */
export async function titleLoaded(page) {
  await page.waitForSelector('main h1');
  await page.waitForSelector('main section[aria-label="Watch party"]');
  await page.waitForFunction(() => document.querySelector('main [role="progressbar"]') === null);
}

/**
 * Runs fn(page...) and, should it throw, saves a screenshot of each page to
 * the artifacts folder as <name>[-i].png before rethrowing.
 */
export async function withScreenshots(name, pages, fn) {
  try {
    return await fn();
  } catch (err) {
    const list = [pages].flat().filter(Boolean);
    let extra = '';
    for (const [i, page] of list.entries()) {
      const file = await saveScreenshot(page, ARTIFACTS, list.length > 1 ? `${name}-${i + 1}` : name, false);
      if (file) extra += `\n  screenshot: ${file}`;
      if (page.problems?.length) extra += `\n  page ${i + 1} reported:\n    ${page.problems.slice(-10).join('\n    ')}`;
    }
    if (extra && err instanceof Error) {
      // The reporter prints the stack, which holds the message as it was.
      const message = err.message;
      err.message += extra;
      if (typeof err.stack === 'string' && err.stack.includes(message)) err.stack = err.stack.replace(message, err.message);
    }
    throw err;
  }
}

/** With CINEGRAPH_E2E_SCREENSHOTS set, a full-page screenshot of page as <name>.png there. */
export async function screenshot(page, name) {
  if (!SCREENSHOTS) return null;
  return saveScreenshot(page, SCREENSHOTS, name, true);
}

async function saveScreenshot(page, dir, name, fullPage) {
  if (!dir || page.isClosed()) return null;
  try {
    await mkdir(dir, { recursive: true });
    const file = path.join(path.resolve(dir), `${name.replace(/[^\w.-]+/g, '-')}.png`);
    await page.screenshot({ path: file, fullPage });
    return file;
  } catch (err) {
    return `(no screenshot: ${err.message})`;
  }
}

/** A GraphQL request to the server as profile (a demo token), or anonymously. */
export async function graphql(query, variables = {}, profile) {
  const headers = { 'Content-Type': 'application/json' };
  if (profile) {
    const res = await fetch(new URL('/auth/demo-token', BASE), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ profile }),
    });
    if (!res.ok) throw new Error(`demo token for ${profile}: HTTP ${res.status}`);
    headers.Authorization = `Bearer ${(await res.json()).token}`;
  }
  const res = await fetch(new URL('/graphql', BASE), { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = await res.json();
  if (body.errors?.length) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** The catalog's first titles that have a watch party, in browse order. */
export async function someTitles(n) {
  const data = await graphql('query($n: Int) { titles(first: $n) { edges { node { id name chatRoom { id } } } } }', { n: 40 });
  const titles = data.titles.edges.map((e) => e.node).filter((t) => t.chatRoom);
  if (titles.length < n) throw new Error(`want ${n} titles with a watch party, the catalog has ${titles.length}`);
  return titles.slice(0, n);
}

const require = createRequire(import.meta.url);
let axeSource;

/**
 * Runs axe-core on the page (WCAG A and AA rules and best practices) and
 * returns its violations as { id, impact, help, targets }.
 */
export async function axe(page) {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated over the DevTools protocol, which the page's
  // Content-Security-Policy does not govern.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    window.axe.run(document, {
      resultTypes: ['violations'],
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    }),
  );
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')),
    // What axe found wrong with the first element (e.g. the colours and
    // ratio), and that element.
    detail: (v.nodes[0]?.any[0] ?? v.nodes[0]?.all[0] ?? v.nodes[0]?.none[0])?.message ?? '',
    html: (v.nodes[0]?.html ?? '').replace(/\s+/g, ' ').slice(0, 160),
  }));
}

/** A horizontal overflow of the page: its width and the elements sticking out on the right. */
export async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const scrollWidth = document.scrollingElement.scrollWidth;
    const describe = (el) =>
      el.tagName.toLowerCase() +
      (el.id ? `#${el.id}` : '') +
      (el.getAttribute('aria-label') ? `[aria-label="${el.getAttribute('aria-label')}"]` : '') +
      (typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).slice(0, 2).join('.')}` : '');
    // An element inside a scrolling or clipping box does not widen the page.
    const clipped = (el) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible') return true;
      }
      return false;
    };
    const wide = [];
    if (scrollWidth > width) {
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > width + 1 && !clipped(el)) {
          // The outermost offenders only.
          if (!wide.some((w) => w.el.contains(el))) wide.push({ el, right: Math.round(r.right) });
        }
      }
    }
    return { width, scrollWidth, offenders: wide.slice(0, 8).map((w) => `${describe(w.el)} (right edge ${w.right}px)`) };
  });
}
