// The records benchmark's data, generated from a seeded PRNG so that Basalt (seeded over HTTP)
// and the raw baseline (seeded in-process) hold exactly the same users and posts, ids included.

/** The PocketBase id of the default `users` auth collection (API.md §1.2). */
export const USERS_COLLECTION_ID = '_pb_users_auth_';

/** The filter and sort of the list scenario, exactly as sent in the query string. */
export const LIST_FILTER = 'published = true && views > 500';
export const LIST_SORT = '-views';
export const LIST_PER_PAGE = 50;

/** The superuser that sets Basalt up (never used by the measured requests). */
export const SUPERUSER = { email: 'bench@example.com', password: 'bench-superuser-password' };

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const WORDS = (
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut ' +
  'labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris ' +
  'nisi aliquip ex ea commodo consequat duis aute irure in reprehenderit voluptate velit esse ' +
  'cillum fugiat nulla pariatur excepteur sint occaecat cupidatat non proident sunt culpa qui ' +
  'officia deserunt mollit anim id est laborum basalt granite quartz feldspar obsidian'
).split(' ');

/** mulberry32: a small, fast, well-distributed 32-bit PRNG; returns floats in [0, 1). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomString(rand, length, alphabet) {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(rand() * alphabet.length)];
  return out;
}

function sentence(rand, minChars) {
  const words = [];
  let length = 0;
  while (length < minChars) {
    const word = WORDS[Math.floor(rand() * WORDS.length)];
    words.push(word);
    length += word.length + 1;
  }
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function makeUser(rand, index) {
  return {
    id: randomString(rand, 15, ID_ALPHABET),
    email: `user${index}@bench.example.com`,
    password: `bench-user-password-${index}`,
    // The raw baseline's per-user signing key (Basalt generates its own).
    tokenKey: randomString(rand, 50, KEY_ALPHABET),
  };
}

function makePost(rand, users, index) {
  return {
    id: randomString(rand, 15, ID_ALPHABET),
    title: `${sentence(rand, 24)} #${index}`,
    body: sentence(rand, 500).slice(0, 500),
    views: Math.floor(rand() * 1000),
    published: rand() < 0.5,
    author: users[Math.floor(rand() * users.length)].id,
  };
}

/**
 * Generates the users and posts for one seed. `expected` holds what the list scenario must
 * answer on a freshly seeded server, to check that both servers hold the same data.
 */
export function generateDataset({
  seed = 1,
  users: userCount = 10,
  posts: postCount = 10_000,
} = {}) {
  const rand = prng(seed);
  const users = Array.from({ length: userCount }, (_, i) => makeUser(rand, i + 1));
  const posts = Array.from({ length: postCount }, (_, i) => makePost(rand, users, i + 1));
  const matching = posts.filter((p) => p.published && p.views > 500);
  return {
    seed,
    users,
    posts,
    // HS256 secret of the raw baseline's users collection (its tokens are minted by the bench).
    rawTokenSecret: randomString(rand, 50, KEY_ALPHABET),
    // The body of every request of the create scenario; published=false keeps it out of the list.
    createBody: {
      title: 'A post created by the benchmark',
      body: sentence(rand, 500).slice(0, 500),
      views: 42,
      published: false,
      author: users[0].id,
    },
    expected: {
      listTotalItems: matching.length,
      listTopViews: matching.reduce((max, p) => Math.max(max, p.views), -1),
    },
  };
}
