// The raw baseline of bench/records.mjs: Fastify + better-sqlite3 serving the three measured
// operations of the records API over the same data, with PocketBase's routes and JSON shapes
// and nothing else: prepared statements created once, JSON in and out, an HS256 token check.
// It seeds itself in-process from the shared generator before it listens.
// Usage: node raw-records-server.mjs --port=N --dir=DIR [--seed=1] [--users=10] [--posts=10000]
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { decodeJwt, jwtVerify } from 'jose';
import { randomBytes, webcrypto } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TextEncoder } from 'node:util';
import { crc32 } from 'node:zlib';
import { LIST_FILTER, LIST_SORT, USERS_COLLECTION_ID, generateDataset } from '../lib/dataset.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [key, ...rest] = a.replace(/^--/, '').split('=');
    return [key, rest.join('=')];
  }),
);
if (!args.port || !args.dir) {
  console.error(
    'usage: raw-records-server.mjs --port=N --dir=DIR [--seed=1] [--users=10] [--posts=10000]',
  );
  process.exit(2);
}

const POSTS_ID = `pbc_${crc32('base' + 'posts')}`;
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const encoder = new TextEncoder();

const dataset = generateDataset({
  seed: Number(args.seed ?? 1),
  users: Number(args.users ?? 10),
  posts: Number(args.posts ?? 10_000),
});

mkdirSync(args.dir, { recursive: true });
const db = new Database(join(args.dir, 'raw.db'));
// The pragmas Basalt uses (src/db/sqlite/adapter.ts), so both pay the same durability cost.
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('temp_store = MEMORY');
db.exec(`
  create table if not exists users (
    id text primary key not null, email text not null, tokenKey text not null,
    created text not null default '', updated text not null default '');
  create table if not exists posts (
    id text primary key not null, title text not null default '', body text not null default '',
    views numeric not null default 0, published boolean not null default 0,
    author text not null default '', created text not null default '',
    updated text not null default '');
`);

/** PocketBase's date format: `YYYY-MM-DD HH:MM:SS.sssZ`. */
const now = () => new Date().toISOString().replace('T', ' ');

const stmt = {
  insertUser: db.prepare(
    'insert or replace into users (id, email, tokenKey, created, updated) values (?, ?, ?, ?, ?)',
  ),
  insertPost: db.prepare(
    'insert into posts (id, title, body, views, published, author, created, updated) ' +
      'values (?, ?, ?, ?, ?, ?, ?, ?)',
  ),
  userKey: db.prepare('select tokenKey from users where id = ?').pluck(),
  userExists: db.prepare('select 1 from users where id = ?').pluck(),
  getPost: db.prepare('select * from posts where id = ?'),
};

/** The list queries this server knows, keyed by `filter|sort` (anything else is a 400). */
const lists = {
  '|': {
    page: db.prepare('select * from posts limit ? offset ?'),
    count: db.prepare('select count(*) from posts').pluck(),
  },
  [`${LIST_FILTER}|${LIST_SORT}`]: {
    page: db.prepare(
      'select * from posts where published = 1 and views > 500 order by views desc limit ? offset ?',
    ),
    count: db.prepare('select count(*) from posts where published = 1 and views > 500').pluck(),
  },
};

db.transaction(() => {
  db.exec('delete from posts; delete from users;');
  const at = now();
  for (const u of dataset.users) stmt.insertUser.run(u.id, u.email, u.tokenKey, at, at);
  for (const p of dataset.posts) {
    stmt.insertPost.run(p.id, p.title, p.body, p.views, p.published ? 1 : 0, p.author, at, at);
  }
})();

/** A post row as PocketBase's record JSON, keys in alphabetical order. */
function postJson(row) {
  return {
    author: row.author,
    body: row.body,
    collectionId: POSTS_ID,
    collectionName: 'posts',
    created: row.created,
    id: row.id,
    published: row.published === 1,
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
async function authUserId(header) {
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
  const tokenKey = stmt.userKey.get(claims.id);
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
}

/** Minimal validation of a create body: field types and that the author exists. */
function validatePost(body) {
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
  if (typeof body.author !== 'string' || stmt.userExists.get(body.author) === undefined) {
    bad('author', 'validation_missing_rel_records', 'Failed to find all relation records.');
  }
  return errors;
}

const isPosts = (collection) => collection === POSTS_ID || collection.toLowerCase() === 'posts';
const NOT_FOUND = "The requested resource wasn't found.";

const app = Fastify();

app.get('/api/health', async () => ({ code: 200, message: 'API is healthy.', data: {} }));

app.get('/api/collections/:collection/records/:id', async (req, reply) => {
  if (!isPosts(req.params.collection)) return apiError(reply, 404, 'Missing collection context.');
  const row = stmt.getPost.get(req.params.id);
  return row ? postJson(row) : apiError(reply, 404, NOT_FOUND);
});

app.get('/api/collections/:collection/records', async (req, reply) => {
  if (!isPosts(req.params.collection)) return apiError(reply, 404, 'Missing collection context.');
  const q = req.query;
  const page = Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1);
  const perPageRaw = Number.parseInt(q.perPage ?? '30', 10) || 30;
  const perPage = Math.min(1000, perPageRaw <= 0 ? 30 : perPageRaw);
  const list = lists[`${q.filter ?? ''}|${q.sort ?? ''}`];
  if (!list) {
    return apiError(reply, 400, 'Something went wrong while processing your request.');
  }
  const items = list.page.all(perPage, (page - 1) * perPage).map(postJson);
  const totalItems = list.count.get();
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
  const errors = validatePost(body);
  if (Object.keys(errors).length > 0)
    return apiError(reply, 400, 'Failed to create record.', errors);
  const at = now();
  const row = {
    id: newRecordId(),
    title: body.title,
    body: body.body,
    views: body.views,
    published: body.published ? 1 : 0,
    author: body.author,
    created: at,
    updated: at,
  };
  stmt.insertPost.run(
    row.id,
    row.title,
    row.body,
    row.views,
    row.published,
    row.author,
    row.created,
    row.updated,
  );
  return postJson(row);
});

app.setNotFoundHandler((_req, reply) => apiError(reply, 404, NOT_FOUND));

await app.listen({ host: '127.0.0.1', port: Number(args.port) });
