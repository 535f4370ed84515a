// The raw baseline of bench/records.mjs on SQLite: Fastify + better-sqlite3 serving the three
// measured operations of the records API over the same data, with PocketBase's routes and JSON
// shapes and nothing else (raw-records-app.mjs): statements prepared once, JSON in and out, an
// HS256 token check. It seeds itself in-process from the shared generator before it listens.
// Usage: node raw-records-server.mjs --port=N --dir=DIR [--seed=1] [--users=10] [--posts=10000]
// The same better-sqlite3 build Basalt loads on this Node.js (12 on Node 20, 13 on 22+).
import { SqliteDatabase as Database } from '../../dist/db/sqlite/sqlite-native.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LIST_ALL, LIST_SCENARIO, now, readServerArgs, serveRecords } from './raw-records-app.mjs';

const { args, dataset } = readServerArgs('raw-records-server.mjs', 'dir');

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
  userByEmail: db.prepare('select * from users where email = ?'),
  getPost: db.prepare('select * from posts where id = ?'),
};

const insertPost = (p) =>
  stmt.insertPost.run(
    p.id,
    p.title,
    p.body,
    p.views,
    p.published ? 1 : 0,
    p.author,
    p.created,
    p.updated,
  );

db.transaction(() => {
  db.exec('delete from posts; delete from users;');
  const at = now();
  for (const u of dataset.users) stmt.insertUser.run(u.id, u.email, u.tokenKey, at, at);
  for (const p of dataset.posts) insertPost({ ...p, created: at, updated: at });
})();

const page = (sql) => {
  const statement = db.prepare(sql);
  return (limit, offset) => statement.all(limit, offset);
};
const count = (sql) => {
  const statement = db.prepare(sql).pluck();
  return () => statement.get();
};

await serveRecords({
  dataset,
  port: args.port,
  store: {
    tokenKey: (userId) => stmt.userKey.get(userId),
    userExists: (userId) => stmt.userExists.get(userId) !== undefined,
    userByEmail: (email) => stmt.userByEmail.get(email),
    getPost: (id) => stmt.getPost.get(id),
    insertPost,
    lists: {
      [LIST_ALL]: {
        page: page('select * from posts limit ? offset ?'),
        count: count('select count(*) from posts'),
      },
      [LIST_SCENARIO]: {
        page: page(
          'select * from posts where published = 1 and views > 500 order by views desc limit ? offset ?',
        ),
        count: count('select count(*) from posts where published = 1 and views > 500'),
      },
    },
  },
});
