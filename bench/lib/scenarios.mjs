// The three measured operations of the records benchmark: what autocannon sends for each, and
// a one-request check (run before any load) that the server answers it with the seeded data.
import { LIST_FILTER, LIST_PER_PAGE, LIST_SORT } from './dataset.mjs';
import { api, check } from './http.mjs';

const RECORDS = '/api/collections/posts/records';
const LIST_PATH = `${RECORDS}?perPage=${LIST_PER_PAGE}&sort=${encodeURIComponent(LIST_SORT)}&filter=${encodeURIComponent(LIST_FILTER)}`;
const POST_FIELDS = ['id', 'title', 'body', 'views', 'published', 'author'];

/**
 * The get-one requests. Ids are dealt round-robin to the connections, and each connection
 * cycles through its share as pre-encoded static requests: every seeded id is read, and the
 * load generator does no per-request work (a setupRequest callback would re-encode the HTTP
 * request every time, on the same 2 cores as the server).
 */
function getLoad(dataset, connections) {
  const ids = dataset.posts.map((p) => p.id);
  let client = 0;
  return {
    method: 'GET',
    path: `${RECORDS}/${ids[0]}`, // replaced per connection by setupClient
    setupClient(c) {
      const slot = client++ % connections;
      const requests = [];
      for (let i = slot; i < ids.length; i += connections) {
        requests.push({ method: 'GET', path: `${RECORDS}/${ids[i]}` });
      }
      c.setRequests(requests);
    },
  };
}

async function checkGet(server, dataset) {
  const step = `${server.name}: get one by id`;
  const post = dataset.posts[Math.floor(dataset.posts.length / 3)];
  const record = await api(server.baseUrl, 'GET', `${RECORDS}/${post.id}`, { step });
  check(record?.collectionName === 'posts', step, 'expected collectionName "posts"', record);
  for (const field of POST_FIELDS) {
    check(record[field] === post[field], step, `field ${field} differs from the seeded post`, {
      expected: post[field],
      got: record[field],
    });
  }
}

async function checkList(server, dataset) {
  const step = `${server.name}: list 50`;
  const list = await api(server.baseUrl, 'GET', LIST_PATH, { step });
  const { listTotalItems, listTopViews } = dataset.expected;
  check(Array.isArray(list?.items), step, 'expected a ListResult with items', list);
  check(list.totalItems === listTotalItems, step, `expected totalItems ${listTotalItems}`, {
    totalItems: list.totalItems,
  });
  check(list.items.length === Math.min(LIST_PER_PAGE, listTotalItems), step, 'wrong page size', {
    length: list.items.length,
  });
  check(list.items[0]?.views === listTopViews, step, `expected top views ${listTopViews}`, {
    views: list.items[0]?.views,
  });
  const sorted = list.items.every((r, i) => i === 0 || list.items[i - 1].views >= r.views);
  const filtered = list.items.every((r) => r.published === true && r.views > 500);
  check(sorted && filtered, step, 'items are not filtered and sorted by -views');
  check(list.totalPages === Math.ceil(listTotalItems / LIST_PER_PAGE), step, 'wrong totalPages', {
    totalPages: list.totalPages,
  });
}

async function checkCreate(server, dataset) {
  const step = `${server.name}: create`;
  const record = await api(server.baseUrl, 'POST', RECORDS, {
    step,
    token: server.token,
    body: dataset.createBody,
  });
  check(/^[a-z0-9]{15}$/.test(record?.id ?? ''), step, 'expected a 15-character id', record);
  check(record.title === dataset.createBody.title, step, 'the title was not stored', record);
}

const LOGIN_PATH = '/api/collections/users/auth-with-password';

/** The login body: the first user's email and password (argon2id on both servers). */
function loginBody(dataset) {
  const user = dataset.users[0];
  return JSON.stringify({ identity: user.email, password: user.password });
}

async function checkLogin(server, dataset) {
  const step = `${server.name}: login`;
  const user = dataset.users[0];
  const auth = await api(server.baseUrl, 'POST', LOGIN_PATH, {
    step,
    body: { identity: user.email, password: user.password },
  });
  check(typeof auth?.token === 'string', step, 'expected a token', auth);
  check(auth.record?.id === user.id, step, `expected the record of ${user.id}`, auth?.record);
}

/** The scenarios, in the order they run (create last: it adds rows). */
export const SCENARIOS = [
  {
    key: 'get',
    label: 'get one by id',
    target: 0.8,
    load: (_server, dataset, connections) => getLoad(dataset, connections),
    check: checkGet,
  },
  {
    key: 'list',
    label: 'list 50 filter+sort',
    target: 0.8,
    load: () => ({ method: 'GET', path: LIST_PATH }),
    check: checkList,
  },
  {
    // No target (issue 5 asks for the figure): argon2id dominates both servers.
    key: 'login',
    label: 'password login',
    target: undefined,
    load: (_server, dataset) => ({
      method: 'POST',
      path: LOGIN_PATH,
      headers: { 'content-type': 'application/json' },
      body: loginBody(dataset),
    }),
    check: checkLogin,
  },
  {
    key: 'create',
    label: 'create',
    target: 0.7,
    load: (server, dataset) => ({
      method: 'POST',
      path: RECORDS,
      headers: { 'content-type': 'application/json', authorization: server.token },
      body: JSON.stringify(dataset.createBody),
    }),
    check: checkCreate,
  },
];
