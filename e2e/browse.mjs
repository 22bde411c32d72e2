// Opens one page in headless Chromium (puppeteer-core driving the browser
// at $CHROMIUM; nothing is downloaded) and prints as JSON what the page
// left in window.attackResults, with every answer the browser got from
// $CINEGRAPH_URL: e2e_test.go's cross-site checks read it.
//   CHROMIUM=/usr/bin/chromium CINEGRAPH_URL=http://127.0.0.1:4000 node browse.mjs PAGE_URL
import puppeteer from 'puppeteer-core';

const [pageURL] = process.argv.slice(2);
const { CHROMIUM: executablePath, CINEGRAPH_URL: target } = process.env;
if (!pageURL || !executablePath || !target) {
  throw new Error('usage: CHROMIUM=path CINEGRAPH_URL=url node browse.mjs PAGE_URL');
}

const browser = await puppeteer.launch({
  executablePath,
  headless: true,
  // Root in a container has no user namespaces for the sandbox; the page
  // is our own.
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
});
try {
  const page = await browser.newPage();
  // The router's answers from the protocol's raw view: pages cannot read
  // answers CORS keeps from them, and puppeteer reports those as failed
  // requests without a status. Websocket handshakes are listed too.
  const cdp = await page.createCDPSession();
  await cdp.send('Network.enable');
  const requests = new Map();
  const track = (requestId, url, method, type) => {
    if (url.startsWith(target) || url.startsWith(target.replace(/^http/, 'ws'))) {
      requests.set(requestId, { url, method, type });
    }
  };
  cdp.on('Network.requestWillBeSent', (e) => track(e.requestId, e.request.url, e.request.method, e.type));
  cdp.on('Network.webSocketCreated', (e) => track(e.requestId, e.url, 'GET', 'WebSocket'));
  // The protocol may report an answer's raw headers before the request.
  const statuses = new Map();
  const answered = (requestId, status) => {
    if (status) statuses.set(requestId, status);
  };
  cdp.on('Network.responseReceivedExtraInfo', (e) => answered(e.requestId, e.statusCode));
  cdp.on('Network.responseReceived', (e) => answered(e.requestId, e.response.status));
  cdp.on('Network.webSocketHandshakeResponseReceived', (e) => answered(e.requestId, e.response.status));
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(m.text()));
  page.on('pageerror', (e) => consoleLines.push(`page error: ${e.message}`));
  await page.goto(pageURL, { waitUntil: 'load' });
  await page.waitForFunction(() => window.attackResults !== undefined, { timeout: 90_000 });
  const results = await page.evaluate(() => window.attackResults);
  // Answers are reported as they arrive; the last may trail the page.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const responses = [...requests].map(([id, r]) => ({ ...r, status: statuses.get(id) ?? 0 }));
  process.stdout.write(JSON.stringify({ results, responses, console: consoleLines }));
} finally {
  await browser.close();
}
