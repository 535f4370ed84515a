import type { App } from '../../src/core/app.js';
import type { AuthContext } from '../../src/core/auth/auth-context.js';
import type { AuthCollection, Collection } from '../../src/core/collection/collection-model.js';
import { createCollection } from '../../src/core/collection/collection-service.js';
import { newRow } from '../../src/core/record/record-defaults.js';
import { compileCondition } from '../../src/core/rules/rule-compile.js';
import { compileSort } from '../../src/core/rules/rule-sort.js';
import type {
  CompileContext,
  CompiledCondition,
  ExpressionOrigin,
  RuleRequest,
} from '../../src/core/rules/rule-types.js';

const TEAMS_ID = 'pbc_teams_rules';

/**
 * The schema of the rules suites:
 * - `members` (auth): name, team (single relation to teams), teams (multi), note (hidden),
 *   tags (multi select);
 * - `teams`: name, tags (multi select), parent (single relation to teams);
 * - `posts`: title, views, published, tags (multi select), status (single select), author
 *   (single relation to members), readers (multi relation to members), meta (json), geo
 *   (geoPoint), publishedAt (date), secret (hidden text);
 * - `comments`: post (single relation, no unique index), text, author;
 * - `likes`: post (single relation with a UNIQUE index), weight;
 * - `notes`: posts (multi relation to posts), text;
 * - `regs`: user, course (single relations) for `@collection` joins.
 */
export async function createRulesSchema(app: App): Promise<void> {
  await createCollection(app, {
    id: TEAMS_ID,
    name: 'teams',
    type: 'base',
    listRule: '',
    fields: [
      { name: 'name', type: 'text' },
      { name: 'tags', type: 'select', values: ['x', 'y', 'z'], maxSelect: 3 },
      { name: 'parent', type: 'relation', collectionId: TEAMS_ID, maxSelect: 1 },
    ],
  });
  const teams = mustFind(app, 'teams');
  await createCollection(app, {
    name: 'members',
    type: 'auth',
    listRule: '',
    fields: [
      { name: 'name', type: 'text' },
      { name: 'team', type: 'relation', collectionId: teams.id, maxSelect: 1 },
      { name: 'teams', type: 'relation', collectionId: teams.id, maxSelect: 5 },
      { name: 'note', type: 'text', hidden: true },
      { name: 'tags', type: 'select', values: ['a', 'b', 'c'], maxSelect: 3 },
    ],
  });
  const members = mustFind(app, 'members');
  await createCollection(app, {
    name: 'posts',
    type: 'base',
    listRule: '',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'views', type: 'number' },
      { name: 'published', type: 'bool' },
      { name: 'tags', type: 'select', values: ['a', 'b', 'c'], maxSelect: 3 },
      { name: 'status', type: 'select', values: ['draft', 'live'], maxSelect: 1 },
      { name: 'author', type: 'relation', collectionId: members.id, maxSelect: 1 },
      { name: 'readers', type: 'relation', collectionId: members.id, maxSelect: 10 },
      { name: 'meta', type: 'json' },
      { name: 'geo', type: 'geoPoint' },
      { name: 'publishedAt', type: 'date' },
      { name: 'secret', type: 'text', hidden: true },
    ],
  });
  const posts = mustFind(app, 'posts');
  await createCollection(app, {
    name: 'comments',
    type: 'base',
    listRule: '',
    fields: [
      { name: 'post', type: 'relation', collectionId: posts.id, maxSelect: 1 },
      { name: 'text', type: 'text' },
      { name: 'author', type: 'relation', collectionId: members.id, maxSelect: 1 },
    ],
  });
  await createCollection(app, {
    name: 'likes',
    type: 'base',
    listRule: '',
    fields: [
      { name: 'post', type: 'relation', collectionId: posts.id, maxSelect: 1 },
      { name: 'weight', type: 'number' },
    ],
    indexes: ['CREATE UNIQUE INDEX idx_likes_post ON likes (post)'],
  });
  await createCollection(app, {
    name: 'notes',
    type: 'base',
    listRule: '',
    fields: [
      { name: 'posts', type: 'relation', collectionId: posts.id, maxSelect: 5 },
      { name: 'text', type: 'text' },
    ],
  });
  await createCollection(app, {
    name: 'regs',
    type: 'base',
    listRule: '',
    fields: [
      { name: 'user', type: 'relation', collectionId: members.id, maxSelect: 1 },
      { name: 'course', type: 'relation', collectionId: posts.id, maxSelect: 1 },
    ],
  });
}

/** The collection named `name`; throws when missing. */
export function mustFind(app: App, name: string): Collection {
  const found = app.collections.find(name);
  if (found === undefined) throw new Error(`no collection ${name}`);
  return found;
}

function mustFindAuth(app: App, name: string): AuthCollection {
  const found = app.collections.findAuth(name);
  if (found === undefined) throw new Error(`no auth collection ${name}`);
  return found;
}

/** Inserts a row into `collection` (empty values for the fields not given). */
export async function insert(
  app: App,
  name: string,
  values: Record<string, unknown>,
): Promise<void> {
  const row = { ...newRow(mustFind(app, name)), ...values };
  await app.db.db.insertInto(name).values(row).execute();
}

/** An auth context for the stored record `id` of auth collection `name`. */
export async function authAs(app: App, name: string, id: string): Promise<AuthContext> {
  const collection = mustFindAuth(app, name);
  const record = await app.db.db
    .selectFrom(name)
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { collection, record, token: 'test', refreshable: true };
}

/** A request with the given parts; a guest GET by default. */
export function request(parts: Partial<RuleRequest> = {}): RuleRequest {
  return {
    context: 'default',
    method: 'GET',
    headers: {},
    query: {},
    body: {},
    auth: undefined,
    ...parts,
  };
}

/** Options of {@link contextFor}. */
export interface ContextOptions {
  readonly origin?: ExpressionOrigin;
  readonly superuser?: boolean;
  readonly request?: RuleRequest;
  readonly alias?: string;
}

/** A compile context on collection `name`. */
export function contextFor(app: App, name: string, options: ContextOptions = {}): CompileContext {
  const collection = mustFind(app, name);
  return {
    main: { collection, alias: options.alias ?? collection.name },
    request: options.request ?? request(),
    origin: options.origin ?? 'rule',
    superuser: options.superuser ?? false,
    findCollection: (idOrName) => app.collections.find(idOrName),
  };
}

/** Compiles `text` on collection `name`. */
export function condition(
  app: App,
  name: string,
  text: string,
  options: ContextOptions = {},
): CompiledCondition {
  return compileCondition(text, contextFor(app, name, options), app.db.dialect);
}

/** The SQL text and parameters of `select id from <name> where <text>`. */
export function compiled(
  app: App,
  name: string,
  text: string,
  options: ContextOptions = {},
): { sql: string; parameters: readonly unknown[] } {
  const where = condition(app, name, text, options);
  const query = app.db.db.selectFrom(name).select('id').where(where).compile();
  return { sql: query.sql, parameters: query.parameters };
}

/** The ids of the rows of `name` matching `text`, sorted. */
export async function matching(
  app: App,
  name: string,
  text: string,
  options: ContextOptions = {},
): Promise<string[]> {
  const where = condition(app, name, text, options);
  const rows = await app.db.db.selectFrom(name).select('id').where(where).execute();
  return rows.map((r) => String(r.id)).sort();
}

/** The ids of `name` in the order of `sort`. */
export async function sorted(
  app: App,
  name: string,
  sort: string,
  options: ContextOptions = {},
): Promise<string[]> {
  let query = app.db.db.selectFrom(name).select('id');
  for (const s of compileSort(sort, contextFor(app, name, options), app.db.dialect)) {
    query = query.orderBy(s.expression, s.modifiers);
  }
  const rows = await query.execute();
  return rows.map((r) => String(r.id));
}

/**
 * The rows of the execution suites (ids are short on purpose, the compiler does not care):
 * - teams t1 Red (tags x), t2 Blue (x, y; parent t1), t3 Green (no tags; parent t2);
 * - members m1 Ann (email visible, team t1, teams t1+t2, note n1, tags a), m2 Bob (email
 *   hidden, team t2, teams t2, tags a+b), m3 Cid (email visible, no team);
 * - posts p1..p4, see the values below; p4 has a dangling reader id;
 * - comments c1 (p1 "great"), c2 (p1 "spam here"), c3 (p2 "spam");
 * - likes l1 (p1, weight 5), l2 (p2, weight 1);
 * - notes n1 (p1+p2, "x"), n2 (p1, "x"), n3 (p2, "y");
 * - regs r1 (m1, p1), r2 (m2, p2).
 */
export async function seedRulesData(app: App): Promise<void> {
  const json = (value: unknown) => JSON.stringify(value);
  await insert(app, 'teams', { id: 't1', name: 'Red', tags: json(['x']) });
  await insert(app, 'teams', { id: 't2', name: 'Blue', tags: json(['x', 'y']), parent: 't1' });
  await insert(app, 'teams', { id: 't3', name: 'Green', parent: 't2' });
  const member = (id: string, values: Record<string, unknown>) =>
    insert(app, 'members', { id, tokenKey: `key-${id}`, ...values });
  await member('m1', {
    name: 'Ann',
    email: 'ann@x.io',
    emailVisibility: 1,
    team: 't1',
    teams: json(['t1', 't2']),
    note: 'n1',
    tags: json(['a']),
  });
  await member('m2', {
    name: 'Bob',
    email: 'bob@x.io',
    emailVisibility: 0,
    team: 't2',
    teams: json(['t2']),
    tags: json(['a', 'b']),
  });
  await member('m3', { name: 'Cid', email: 'cid@x.io', emailVisibility: 1 });
  await insert(app, 'posts', {
    id: 'p1',
    title: 'Hello world',
    views: 10,
    published: 1,
    tags: json(['a', 'b']),
    status: 'live',
    author: 'm1',
    readers: json(['m1', 'm2']),
    meta: json({ a: { b: 1 }, arr: [5, 6] }),
    geo: json({ lon: 13.4, lat: 52.5 }),
    publishedAt: '2024-03-01 10:00:00.000Z',
    secret: 's1',
  });
  await insert(app, 'posts', {
    id: 'p2',
    title: '50% off_sale',
    views: 600,
    published: 1,
    tags: json(['b']),
    status: 'draft',
    author: 'm2',
    readers: json(['m2']),
    meta: json({ a: null }),
    geo: json({ lon: 2.35, lat: 48.85 }),
    publishedAt: '2023-12-31 23:00:00.000Z',
  });
  await insert(app, 'posts', { id: 'p3' });
  await insert(app, 'posts', {
    id: 'p4',
    title: 'Back\\slash fxs',
    views: 700,
    tags: json(['c']),
    status: 'live',
    author: 'm3',
    readers: json(['m3', 'missing']),
    meta: json({ a: { b: 2 } }),
  });
  await insert(app, 'comments', { id: 'c1', post: 'p1', text: 'great', author: 'm1' });
  await insert(app, 'comments', { id: 'c2', post: 'p1', text: 'spam here', author: 'm2' });
  await insert(app, 'comments', { id: 'c3', post: 'p2', text: 'spam', author: 'm2' });
  await insert(app, 'likes', { id: 'l1', post: 'p1', weight: 5 });
  await insert(app, 'likes', { id: 'l2', post: 'p2', weight: 1 });
  await insert(app, 'notes', { id: 'n1', posts: json(['p1', 'p2']), text: 'x' });
  await insert(app, 'notes', { id: 'n2', posts: json(['p1']), text: 'x' });
  await insert(app, 'notes', { id: 'n3', posts: json(['p2']), text: 'y' });
  await insert(app, 'regs', { id: 'r1', user: 'm1', course: 'p1' });
  await insert(app, 'regs', { id: 'r2', user: 'm2', course: 'p2' });
}
