// End-to-end: Apollo Client's GraphQLWsLink (the graphql-ws library)
// subscribes through the Cinegraph router while another client posts a
// chat message; the message arrives with fields from three subgraphs:
// body (chat), author.name (catalog) and sentiment.label (insights).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { ApolloClient, InMemoryCache, gql } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';

const base = process.env.CINEGRAPH_URL;
const base2 = process.env.CINEGRAPH_ROUTER2_URL;
if (!base || !base2) throw new Error('CINEGRAPH_URL and CINEGRAPH_ROUTER2_URL must name two running routers, e.g. http://127.0.0.1:4000');

// token signs in as a demo profile on the router at url, as the web app's
// sign-in menu does.
async function token(url, profile) {
  const res = await fetch(url + '/auth/demo-token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ profile }),
  });
  assert.equal(res.status, 200, `demo token for ${profile}: ${res.status}`);
  return (await res.json()).token;
}

async function query(q, variables, profile = 'profile-1', url = base) {
  const res = await fetch(url + '/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await token(url, profile)}` },
    body: JSON.stringify({ query: q, variables }),
  });
  const body = await res.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

// wsClient opens a graphql-ws client on the router at url signed in as
// profile: the token travels in connection_init, where browsers can put it.
function wsClient(profile, url = base) {
  return createClient({
    url: url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: async () => ({ Authorization: `Bearer ${await token(url, profile)}` }),
    lazy: false,
    retryAttempts: 0,
  });
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

const MESSAGE_ADDED = gql`
  subscription MessageAdded($roomId: ID!) {
    messageAdded(roomId: $roomId) { id body author { name } sentiment { label } }
  }
`;

test('Apollo Client receives a posted message enriched from three subgraphs', async () => {
  const { activeRooms } = await query('{ activeRooms(first: 1) { id } }');
  assert.ok(activeRooms.length > 0, 'the seeded data has a room with messages');
  const roomId = activeRooms[0].id;

  const wsLinkClient = wsClient('profile-2');
  const apollo = new ApolloClient({ link: new GraphQLWsLink(wsLinkClient), cache: new InMemoryCache() });
  const poster = wsClient('profile-1');
  const received = [];
  let wake = () => {};
  const sub = apollo.subscribe({ query: MESSAGE_ADDED, variables: { roomId } }).subscribe({
    next: (result) => { received.push(result); wake(); },
    error: (err) => { received.push({ error: err }); wake(); },
  });
  try {
    // The subscription is live once the router has opened it upstream; until
    // then a post may be missed, so post again (new body) until one arrives.
    const posted = new Set();
    let got;
    for (let attempt = 0; attempt < 20 && !got; attempt++) {
      const body = `e2e ${Date.now()} attempt ${attempt}: what a great film`;
      posted.add(body);
      const result = await new Promise((resolve, reject) => {
        poster.subscribe(
          { query: 'mutation($roomId: ID!, $body: String!) { postMessage(roomId: $roomId, body: $body) { id body } }', variables: { roomId, body } },
          { next: resolve, error: reject, complete: () => {} },
        );
      });
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
      await withTimeout(new Promise((resolve) => { wake = resolve; if (received.length) resolve(); }), 1000, 'event').catch(() => {});
      got = received.find((r) => r.error || posted.has(r.data?.messageAdded?.body));
    }
    assert.ok(got, 'no message arrived');
    assert.equal(got.error, undefined, String(got.error));
    const m = got.data.messageAdded;
    assert.match(m.body, /what a great film/);
    assert.equal(typeof m.author.name, 'string');
    assert.ok(m.author.name.length > 0, 'author.name comes from the catalog subgraph');
    assert.ok(['POSITIVE', 'NEUTRAL', 'NEGATIVE'].includes(m.sentiment.label), `sentiment.label from insights: ${m.sentiment.label}`);
  } finally {
    sub.unsubscribe();
    apollo.stop();
    await wsLinkClient.dispose();
    await poster.dispose();
  }
});

test('graphql-ws client: invalid operations are errors, queries complete', async () => {
  const client = wsClient('profile-1');
  try {
    const q = await withTimeout(new Promise((resolve, reject) => {
      const results = [];
      client.subscribe({ query: '{ __typename }' }, { next: (r) => results.push(r), error: reject, complete: () => resolve(results) });
    }), 5000, 'query over websocket');
    assert.deepEqual(q, [{ data: { __typename: 'Query' } }]);
    const err = await withTimeout(new Promise((resolve) => {
      client.subscribe({ query: 'subscription { messageAdded { body } }' }, { next: () => {}, error: resolve, complete: () => resolve(null) });
    }), 5000, 'validation error');
    assert.ok(Array.isArray(err) && err.length > 0, `expected GraphQL errors, got ${JSON.stringify(err)}`);
  } finally {
    await client.dispose();
  }
});

test('two router instances both deliver a message to their own subscribers', async () => {
  const urls = [base, base2];
  const { activeRooms } = await query('{ activeRooms(first: 2) { id } }');
  const roomId = activeRooms[activeRooms.length - 1].id;
  const clients = urls.map((u) => wsClient('profile-3', u));
  const got = urls.map(() => []);
  const waiters = urls.map(() => () => {});
  const unsubscribes = clients.map((c, i) => c.subscribe(
    { query: 'subscription($roomId: ID!) { messageAdded(roomId: $roomId) { id body author { name } sentiment { label } } }', variables: { roomId } },
    { next: (r) => { got[i].push(r); waiters[i](); }, error: (e) => { got[i].push({ error: e }); waiters[i](); }, complete: () => {} },
  ));
  try {
    const posted = new Set();
    const arrived = (i) => got[i].find((r) => r.error || posted.has(r.data?.messageAdded?.id));
    for (let attempt = 0; attempt < 20 && !(arrived(0) && arrived(1)); attempt++) {
      const { postMessage } = await query('mutation($roomId: ID!, $body: String!) { postMessage(roomId: $roomId, body: $body) { id } }', { roomId, body: `two routers ${attempt}` });
      posted.add(postMessage.id);
      await withTimeout(Promise.all(urls.map((_, i) => new Promise((resolve) => { waiters[i] = resolve; if (arrived(i)) resolve(); }))), 1000, 'both').catch(() => {});
    }
    for (const i of [0, 1]) {
      const r = arrived(i);
      assert.ok(r, `router ${i + 1} delivered nothing`);
      assert.equal(r.error, undefined, String(r.error));
      assert.ok(r.data.messageAdded.author.name.length > 0);
      assert.ok(r.data.messageAdded.sentiment.label);
    }
  } finally {
    unsubscribes.forEach((u) => u());
    await Promise.all(clients.map((c) => c.dispose()));
  }
});

test('identity: a forged token closes the socket with 4403, anonymous posts are refused', async () => {
  const forged = createClient({
    url: base.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: 'Bearer not.a.token' },
    lazy: false,
    retryAttempts: 0,
  });
  try {
    const code = await withTimeout(new Promise((resolve) => forged.on('closed', (e) => resolve(e.code))), 5000, 'close');
    assert.equal(code, 4403);
  } finally {
    await forged.dispose();
  }
  const { activeRooms } = await query('{ activeRooms(first: 1) { id } }');
  const res = await fetch(base + '/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ query: 'mutation($r: ID!) { postMessage(roomId: $r, body: "anonymous") { id } }', variables: { r: activeRooms[0].id } }),
  });
  const body = await res.json();
  assert.equal(body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', JSON.stringify(body));
});
