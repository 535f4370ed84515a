// What the raw baselines of bench/records.mjs share, whatever their database: the command line,
// the dataset, and the Fastify app with PocketBase's routes, JSON shapes, create validation,
// HS256 token check and error answers. Each baseline (raw-records-server.mjs on SQLite,
// raw-records-pg-server.mjs on PostgreSQL) creates and seeds its tables, then serves a `store`
// of its queries through serveRecords(). A store's functions may answer a value or a promise:
//   tokenKey(userId) -> string | undefined      userExists(userId) -> boolean
//   getPost(id) -> row | undefined               insertPost(row)   (row.published is a boolean)
//   userByEmail(email) -> { id, email, tokenKey, created, updated } | undefined
//   lists[`${filter}|${sort}`] -> { page(limit, offset) -> rows, count() -> number }
// A row has the posts columns (id, title, body, views, published, author, created, updated).
import { Algorithm, hash, verify } from '@node-rs/argon2';
import Fastify from 'fastify';
import { decodeJwt, jwtVerify } from 'jose';
import { createHmac, randomBytes, webcrypto } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { TextEncoder } from 'node:util';
import { crc32 } from 'node:zlib';
import { LIST_FILTER, LIST_SORT, USERS_COLLECTION_ID, generateDataset } from '../lib/dataset.mjs';

/** The keys of `store.lists`: no filter nor sort, and the list scenario's filter and sort. */
export const LIST_ALL = '|';
export const LIST_SCENARIO = `${LIST_FILTER}|${LIST_SORT}`;

const POSTS_ID = `pbc_${crc32('base' + 'posts')}`;
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const NOT_FOUND = "The requested resource wasn't found.";
const encoder = new TextEncoder();

/**
 * Reads `--key=value` arguments: --port and the storage option `storage` (e.g. `dir`) are
 * required, --seed, --users and --posts choose the generated data. Exits with the usage when
 * one is missing. Returns the arguments and the dataset.
 */
export function readServerArgs(script, storage) {
  const args = Object.fromEntries(
    process.argv.slice(2).map((a) => {
      const [key, ...rest] = a.replace(/^--/, '').split('=');
      return [key, rest.join('=')];
    }),
  );
  if (!args.port || !args[storage]) {
    console.error(
      `usage: ${script} --port=N --${storage}=${storage.toUpperCase()} [--seed=1] [--users=10] [--posts=10000]`,
    );
    process.exit(2);
  }
  const dataset = generateDataset({
    seed: Number(args.seed ?? 1),
    users: Number(args.users ?? 10),
    posts: Number(args.posts ?? 10_000),
  });
  return { args, dataset };
}

/** PocketBase's date format: `YYYY-MM-DD HH:MM:SS.sssZ`. */
export const now = () => new Date().toISOString().replace('T', ' ');

/** A post row as PocketBase's record JSON, keys in alphabetical order. */
function postJson(row) {
  return {
    author: row.author,
    body: row.body,
    collectionId: POSTS_ID,
    collectionName: 'posts',
    created: row.created,
    id: row.id,
    published: Boolean(row.published), // SQLite answers 1 or 0, PostgreSQL a boolean
    title: row.title,
    updated: row.updated,
    views: row.views,
  };
}

function apiError(reply, status, message, data = {}) {
  return reply.code(status).send({ data, message, status });
}

function newRecordId() {
  let id = '';
  while (id.length < 15) {
    for (const byte of randomBytes(24)) {
      if (byte >= 252) continue; // 252 = 7 * 36: rejection keeps every character equally likely
      id += ID_ALPHABET[byte % 36];
      if (id.length === 15) break;
    }
  }
  return id;
}

const isPosts = (collection) => collection === POSTS_ID || collection.toLowerCase() === 'posts';

/** The user-token check: HS256 keyed by the user's tokenKey + the collection's secret. */
function tokenChecker(dataset, store) {
  /**
   * The HMAC key of a user's tokens, imported once per tokenKey: importing it on every request
   * (what jose does with a Uint8Array key) costs more than the rest of a create on this machine.
   * The user row is still read on every request, so a changed tokenKey takes effect at once.
   */
  const hmacKeys = new Map();
  async function hmacKey(userId, tokenKey) {
    const cached = hmacKeys.get(userId);
    if (cached?.tokenKey === tokenKey) return cached.key;
    const key = await webcrypto.subtle.importKey(
      'raw',
      encoder.encode(tokenKey + dataset.rawTokenSecret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['verify'],
    );
    hmacKeys.set(userId, { tokenKey, key });
    return key;
  }

  /** The authenticated user id, or undefined (an invalid token makes a guest, as in PocketBase). */
  return async function authUserId(header) {
    if (typeof header !== 'string' || header === '') return undefined;
    const token = header.replace(/^bearer\s+/i, '');
    let claims;
    try {
      claims = decodeJwt(token);
    } catch {
      return undefined;
    }
    if (claims.type !== 'auth' || claims.collectionId !== USERS_COLLECTION_ID) return undefined;
    if (typeof claims.id !== 'string') return undefined;
    const tokenKey = await store.tokenKey(claims.id);
    if (tokenKey === undefined) return undefined;
    try {
      await jwtVerify(token, await hmacKey(claims.id, tokenKey), {
        algorithms: ['HS256'],
        requiredClaims: ['exp'],
      });
    } catch {
      return undefined;
    }
    return claims.id;
  };
}

/** Minimal validation of a create body: field types and that the author exists. */
async function validatePost(store, body) {
  const errors = {};
  const bad = (field, code, message) => (errors[field] = { code, message });
  if (typeof body.title !== 'string') bad('title', 'validation_invalid_value', 'Must be text.');
  if (typeof body.body !== 'string') bad('body', 'validation_invalid_value', 'Must be text.');
  if (typeof body.views !== 'number' || !Number.isFinite(body.views)) {
    bad('views', 'validation_not_a_number', 'Must be a number.');
  }
  if (typeof body.published !== 'boolean') {
    bad('published', 'validation_invalid_value', 'Must be a bool.');
  }
  if (typeof body.author !== 'string' || !(await store.userExists(body.author))) {
    bad('author', 'validation_missing_rel_records', 'Failed to find all relation records.');
  }
  return errors;
}

/**
 * Basalt's argon2id parameters (src/lib/security/password.ts: OWASP's minimum, 19 MiB, 2
 * iterations, 1 lane), so that both servers pay the same for a password check.
 */
const ARGON2 = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** An HS256 auth token as Basalt issues one (claims of API.md §4), signed with node:crypto. */
function authToken(dataset, user) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const exp = Math.floor(Date.now() / 1000) + 86_400;
  const claims = { collectionId: USERS_COLLECTION_ID, exp, id: user.id, refreshable: true };
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ ...claims, type: 'auth' })}`;
  const key = user.tokenKey + dataset.rawTokenSecret;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}

/**
 * The password login: the user row by email from the store, the argon2id check against the
 * user's hash (hashed once at start, kept in memory: the store's row read is the database
 * work), a token and the record JSON.
 */
async function passwordLogin(dataset, store) {
  const hashes = new Map();
  for (const u of dataset.users) hashes.set(u.id, await hash(u.password, ARGON2));
  return async (identity, password) => {
    if (typeof identity !== 'string' || typeof password !== 'string') return undefined;
    const user = await store.userByEmail(identity);
    const stored = user && hashes.get(user.id);
    if (!stored || !(await verify(stored, password))) return undefined;
    const record = {
      collectionId: USERS_COLLECTION_ID,
      collectionName: 'users',
      created: user.created,
      email: user.email,
      emailVisibility: false,
      id: user.id,
      updated: user.updated,
      verified: false,
    };
    return { record, token: authToken(dataset, user) };
  };
}

/** Serves the measured operations (and /api/health) from `store` on 127.0.0.1:`port`. */
export async function serveRecords({ dataset, store, port }) {
  const authUserId = tokenChecker(dataset, store);
  const login = await passwordLogin(dataset, store);
  const app = Fastify();

  app.post('/api/collections/:collection/auth-with-password', async (req, reply) => {
    const { collection } = req.params;
    if (collection !== USERS_COLLECTION_ID && collection !== 'users') {
      return apiError(reply, 404, 'Missing or invalid collection context.');
    }
    const body = req.body ?? {};
    const result = await login(body.identity, body.password);
    return result ?? apiError(reply, 400, 'Failed to authenticate.');
  });

  app.get('/api/health', async () => ({ code: 200, message: 'API is healthy.', data: {} }));

  app.get('/api/collections/:collection/records/:id', async (req, reply) => {
    if (!isPosts(req.params.collection)) return apiError(reply, 404, 'Missing collection context.');
    const row = await store.getPost(req.params.id);
    return row ? postJson(row) : apiError(reply, 404, NOT_FOUND);
  });

  app.get('/api/collections/:collection/records', async (req, reply) => {
    if (!isPosts(req.params.collection)) return apiError(reply, 404, 'Missing collection context.');
    const q = req.query;
    const page = Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1);
    const perPageRaw = Number.parseInt(q.perPage ?? '30', 10) || 30;
    const perPage = Math.min(1000, perPageRaw <= 0 ? 30 : perPageRaw);
    const list = store.lists[`${q.filter ?? ''}|${q.sort ?? ''}`];
    if (!list) {
      return apiError(reply, 400, 'Something went wrong while processing your request.');
    }
    const items = (await list.page(perPage, (page - 1) * perPage)).map(postJson);
    const totalItems = await list.count();
    return { items, page, perPage, totalItems, totalPages: Math.ceil(totalItems / perPage) };
  });

  app.post('/api/collections/:collection/records', async (req, reply) => {
    if (!isPosts(req.params.collection)) {
      return apiError(reply, 404, 'Missing or invalid collection context.');
    }
    const userId = await authUserId(req.headers.authorization);
    if (userId === undefined) return apiError(reply, 400, 'Failed to create record.');
    const body = req.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return apiError(reply, 400, 'Failed to create record.');
    }
    const errors = await validatePost(store, body);
    if (Object.keys(errors).length > 0) {
      return apiError(reply, 400, 'Failed to create record.', errors);
    }
    const at = now();
    const row = {
      id: newRecordId(),
      title: body.title,
      body: body.body,
      views: body.views,
      published: body.published,
      author: body.author,
      created: at,
      updated: at,
    };
    await store.insertPost(row);
    return postJson(row);
  });

  app.setNotFoundHandler((_req, reply) => apiError(reply, 404, NOT_FOUND));

  await app.listen({ host: '127.0.0.1', port: Number(port) });
}
