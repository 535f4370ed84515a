// Sets a running Basalt up for the records benchmark over its public HTTP API (API.md):
// the posts collection, the users, a user token, and the seeded posts.
import { LIST_PER_PAGE, SUPERUSER, USERS_COLLECTION_ID } from './dataset.mjs';
import { UnexpectedResponse } from './errors.mjs';
import { api, check, pool } from './http.mjs';

const BATCH_SIZE = 1000;
const SINGLE_CREATE_CONCURRENCY = 16;

/** The posts collection of BENCHMARKS.md: the fields, autodates, and the three rules. */
export const POSTS_COLLECTION = {
  name: 'posts',
  type: 'base',
  listRule: '',
  viewRule: '',
  createRule: "@request.auth.id != ''",
  updateRule: null,
  deleteRule: null,
  fields: [
    { name: 'title', type: 'text' },
    { name: 'body', type: 'text' },
    { name: 'views', type: 'number' },
    { name: 'published', type: 'bool' },
    { name: 'author', type: 'relation', collectionId: USERS_COLLECTION_ID, maxSelect: 1 },
    { name: 'created', type: 'autodate', onCreate: true, onUpdate: false },
    { name: 'updated', type: 'autodate', onCreate: true, onUpdate: true },
  ],
};

async function superuserToken(baseUrl) {
  const auth = await api(baseUrl, 'POST', '/api/collections/_superusers/auth-with-password', {
    step: 'superuser login',
    body: { identity: SUPERUSER.email, password: SUPERUSER.password },
  });
  check(typeof auth?.token === 'string', 'superuser login', 'no token in the answer', auth);
  return auth.token;
}

async function createUsers(baseUrl, token, users) {
  for (const u of users) {
    const record = await api(baseUrl, 'POST', '/api/collections/users/records', {
      step: 'create user (records API)',
      token,
      body: { id: u.id, email: u.email, password: u.password, passwordConfirm: u.password },
    });
    check(record?.id === u.id, 'create user (records API)', `expected id ${u.id}`, record);
  }
}

async function userToken(baseUrl, user) {
  const auth = await api(baseUrl, 'POST', '/api/collections/users/auth-with-password', {
    step: 'user login',
    body: { identity: user.email, password: user.password },
  });
  check(typeof auth?.token === 'string', 'user login', 'no token in the answer', auth);
  return auth.token;
}

/** Enables batch requests (API.md §7); returns false with the reason logged when it cannot. */
async function enableBatch(baseUrl, token, log) {
  try {
    await api(baseUrl, 'PATCH', '/api/settings', {
      step: 'enable batch',
      token,
      body: { batch: { enabled: true, maxRequests: BATCH_SIZE, timeout: 30 } },
    });
    return true;
  } catch (err) {
    if (!(err instanceof UnexpectedResponse)) throw err;
    log(`batch unavailable, seeding with single creates: ${err.message}`);
    return false;
  }
}

async function seedBatch(baseUrl, token, posts) {
  const requests = posts.map((p) => ({
    method: 'POST',
    url: '/api/collections/posts/records',
    body: p,
  }));
  const answer = await api(baseUrl, 'POST', '/api/batch', {
    step: 'seed posts (batch)',
    token,
    body: { requests },
  });
  const ok =
    Array.isArray(answer) &&
    answer.length === posts.length &&
    answer.every((r, i) => r?.status === 200 && r.body?.id === posts[i].id);
  check(ok, 'seed posts (batch)', 'expected one 200 answer with the given id per request', answer);
}

async function seedSingles(baseUrl, token, posts) {
  await pool(posts, SINGLE_CREATE_CONCURRENCY, async (p) => {
    const record = await api(baseUrl, 'POST', '/api/collections/posts/records', {
      step: 'seed posts (records API)',
      token,
      body: p,
    });
    check(record?.id === p.id, 'seed posts (records API)', `expected id ${p.id}`, record);
  });
}

/** Seeds the posts in batches of 1,000, falling back to parallel single creates. */
async function seedPosts(baseUrl, token, posts, log) {
  let useBatch = await enableBatch(baseUrl, token, log);
  for (let start = 0; start < posts.length; start += BATCH_SIZE) {
    const chunk = posts.slice(start, start + BATCH_SIZE);
    if (useBatch) {
      try {
        await seedBatch(baseUrl, token, chunk);
        continue;
      } catch (err) {
        if (!(err instanceof UnexpectedResponse)) throw err;
        // A failed batch rolls back as a whole, so the chunk can be created one by one.
        log(`batch failed, seeding with single creates: ${err.message}`);
        useBatch = false;
      }
    }
    await seedSingles(baseUrl, token, chunk);
  }
}

/**
 * Creates the posts collection, the users and the posts on a freshly started Basalt whose
 * superuser is SUPERUSER; returns the token of the first user (sent with every create).
 */
export async function setUpBasalt(baseUrl, dataset, log) {
  const admin = await superuserToken(baseUrl);
  const collection = await api(baseUrl, 'POST', '/api/collections', {
    step: 'create the posts collection',
    token: admin,
    body: POSTS_COLLECTION,
  });
  check(
    collection?.name === 'posts',
    'create the posts collection',
    'unexpected answer',
    collection,
  );
  log(`creating ${dataset.users.length} users`);
  await createUsers(baseUrl, admin, dataset.users);
  const token = await userToken(baseUrl, dataset.users[0]);
  log(`seeding ${dataset.posts.length} posts`);
  const started = performance.now();
  await seedPosts(baseUrl, admin, dataset.posts, log);
  log(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const count = await api(
    baseUrl,
    'GET',
    `/api/collections/posts/records?perPage=${LIST_PER_PAGE}`,
    {
      step: 'count seeded posts',
      token: admin,
    },
  );
  check(
    count?.totalItems === dataset.posts.length,
    'count seeded posts',
    `expected totalItems ${dataset.posts.length}`,
    { totalItems: count?.totalItems },
  );
  return token;
}
