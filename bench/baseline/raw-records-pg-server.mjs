// The raw baseline of bench/records.mjs on PostgreSQL: Fastify + pg serving the three measured
// operations of the records API over the same data, with PocketBase's routes and JSON shapes
// and nothing else (raw-records-app.mjs, shared with the SQLite baseline).
//
// What it does, to compare fairly with `basalt serve --db=...`:
// - a pg.Pool of at most 10 connections, as Basalt's adapter (src/db/postgres/adapter.ts);
// - the tables Basalt creates for the collections (src/db/postgres/ddl.ts, column-types.ts):
//   `id text collate "C" primary key`, text, double precision and boolean columns, not null
//   with the same defaults; no secondary index on posts (Basalt creates none for the posts
//   collection), so the list scenario scans and sorts as Basalt's query does;
// - the same queries Basalt sends: get by primary key, then for the list a page query
//   (`where published = true and views > 500 order by views desc limit/offset`) and a
//   `count(*)` with the same filter, one after the other; for a create, the user row of the
//   token, the author check, then the insert;
// - each query as a named prepared statement (parsed and planned once per connection).
// What it does not do: Basalt's hidden `_rowid_` insertion-order column (an identity column it
// needs for `sort=@rowid`, filled by a sequence on every insert), a transaction around the
// create's author check and insert (they are two autocommit statements, as in the SQLite
// baseline), rules, field options, hooks, or anything the measured requests do not need.
//
// It seeds itself from the shared generator in one transaction before it listens. The database
// should be empty and its own: the posts and users tables are created if missing, then emptied.
// Usage: node raw-records-pg-server.mjs --port=N --db=URL [--seed=1] [--users=10] [--posts=10000]
import pg from 'pg';
import { LIST_ALL, LIST_SCENARIO, now, readServerArgs, serveRecords } from './raw-records-app.mjs';

/** How many connections the pool opens at most (Basalt's POOL_SIZE). */
const POOL_SIZE = 10;

const { args, dataset } = readServerArgs('raw-records-pg-server.mjs', 'db');

const pool = new pg.Pool({ connectionString: args.db, max: POOL_SIZE });
// An idle client that loses its connection must not crash the process (as in Basalt).
pool.on('error', () => undefined);

const SCHEMA = `
  create table if not exists users (
    id text collate "C" primary key not null, email text not null default '',
    "tokenKey" text not null default '', created text not null default '',
    updated text not null default '');
  create table if not exists posts (
    id text collate "C" primary key not null, title text not null default '',
    body text not null default '', views double precision not null default 0,
    published boolean not null default false, author text not null default '',
    created text not null default '', updated text not null default '');
`;

/** Creates the tables and fills them with the dataset, in one transaction. */
async function seed() {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(SCHEMA);
    await client.query('delete from posts');
    await client.query('delete from users');
    const at = now();
    const { users, posts } = dataset;
    await client.query(
      'insert into users (id, email, "tokenKey", created, updated) ' +
        'select u.*, $4::text, $4::text from unnest($1::text[], $2::text[], $3::text[]) as u',
      [users.map((u) => u.id), users.map((u) => u.email), users.map((u) => u.tokenKey), at],
    );
    await client.query(
      'insert into posts (id, title, body, views, published, author, created, updated) ' +
        'select p.*, $7::text, $7::text from unnest($1::text[], $2::text[], $3::text[], ' +
        '$4::double precision[], $5::boolean[], $6::text[]) as p',
      [
        posts.map((p) => p.id),
        posts.map((p) => p.title),
        posts.map((p) => p.body),
        posts.map((p) => p.views),
        posts.map((p) => p.published),
        posts.map((p) => p.author),
        at,
      ],
    );
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** A named prepared statement: `run(...values)` answers its rows. */
function prepared(name, text) {
  return async (...values) => (await pool.query({ name, text, values })).rows;
}

const sql = {
  tokenKey: prepared('user-token-key', 'select "tokenKey" from users where id = $1'),
  userExists: prepared('user-exists', 'select 1 from users where id = $1'),
  userByEmail: prepared('user-by-email', 'select * from users where email = $1'),
  getPost: prepared('get-post', 'select * from posts where id = $1'),
  insertPost: prepared(
    'insert-post',
    'insert into posts (id, title, body, views, published, author, created, updated) ' +
      'values ($1, $2, $3, $4, $5, $6, $7, $8)',
  ),
};

/** The rows of a list page and the total count of its query; count(*) is a bigint (a string). */
function list(name, where, order) {
  const page = prepared(`${name}-page`, `select * from posts${where}${order} limit $1 offset $2`);
  const count = prepared(`${name}-count`, `select count(*) as n from posts${where}`);
  return { page, count: async () => Number((await count())[0].n) };
}

await seed();
await serveRecords({
  dataset,
  port: args.port,
  store: {
    tokenKey: async (userId) => (await sql.tokenKey(userId))[0]?.tokenKey,
    userExists: async (userId) => (await sql.userExists(userId)).length > 0,
    userByEmail: async (email) => (await sql.userByEmail(email))[0],
    getPost: async (id) => (await sql.getPost(id))[0],
    insertPost: (p) =>
      sql.insertPost(p.id, p.title, p.body, p.views, p.published, p.author, p.created, p.updated),
    lists: {
      [LIST_ALL]: list('list-all', '', ''),
      [LIST_SCENARIO]: list(
        'list-scenario',
        ' where published = true and views > 500',
        ' order by views desc',
      ),
    },
  },
});
