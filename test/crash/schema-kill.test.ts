import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../src/core/app.js';
import { loadCollections } from '../../src/core/collection/collection-store.js';
import { openAdapter } from '../../src/db/open-adapter.js';
import { schemaMismatches } from '../helpers/schema-match.js';
import { createEngineDatabase, testEngine, type EngineDatabase } from '../helpers/test-engine.js';
import { freePort } from '../helpers/basalt-process.js';

// kill -9 of a live server at random points of a loop of collection changes, with concurrent
// record creates: after each restart every collection must take writes, and at the end every
// table (and the SQL view of a view collection, rebuilt by every change) must match its
// metadata exactly, with no leftovers and no acknowledged record lost.
// MariaDB commits before each DDL statement, so there the start-up recovery does the work;
// SQLite and PostgreSQL roll back table and metadata together.

const BIN = join(import.meta.dirname, '..', '..', 'dist', 'basalt.mjs');
/** Kills per engine (about 2 s each on SQLite and PostgreSQL, 5 s on MariaDB). */
const KILLS = 20;
const EMAIL = 'crash@example.com';
const PASSWORD = 'crash-password-1';
const WRITERS = 8;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rand = (n: number) => Math.floor(Math.random() * n);
const randomId = () =>
  Array.from({ length: 15 }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[rand(36)]).join('');

let dir: string;
let database: EngineDatabase;
let port: number;
let child: ChildProcess | undefined;
let stderr = '';

const dbArgs = () => (database.url ? [`--db=${database.url}`] : []);
const base = () => `http://127.0.0.1:${String(port)}`;

async function start(): Promise<void> {
  const proc = spawn(
    process.execPath,
    [BIN, 'serve', `--http=127.0.0.1:${String(port)}`, `--dir=${dir}`, ...dbArgs()],
    { env: { ...process.env, BASALT_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  proc.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  child = proc;
  for (let i = 0; i < 300; i++) {
    if (proc.exitCode !== null) throw new Error(`basalt exited at start: ${stderr}`);
    const ok = await fetch(`${base()}/api/health`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`basalt did not answer within 30 s: ${stderr}`);
}

async function stop(signal: NodeJS.Signals): Promise<void> {
  const proc = child;
  child = undefined;
  if (!proc || proc.exitCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill(signal);
  await exited;
}

interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

async function call(method: string, path: string, token: string, body?: unknown): Promise<Reply> {
  const res = await fetch(`${base()}${path}`, {
    method,
    headers: { authorization: token, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function login(): Promise<string> {
  const res = await fetch(`${base()}/api/collections/_superusers/auth-with-password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identity: EMAIL, password: PASSWORD }),
  });
  const body = (await res.json()) as { token?: string };
  if (!body.token) throw new Error(`login failed: ${String(res.status)}`);
  return body.token;
}

type FieldJson = Record<string, unknown> & { id?: string; name: string; type: string };

/** One collection change, computed from the collection as the server has it now. */
function nextChange(
  round: number,
  c: { name: string; fields: FieldJson[]; indexes: string[] },
): Record<string, unknown> {
  const extras = c.fields.filter((f) => /^f\d/.test(f.name));
  const sel = c.fields.find((f) => f.name === 'sel');
  switch (round % 7) {
    case 0:
      return { fields: [...c.fields, { name: `f${String(round)}`, type: 'text' }] };
    case 1: {
      const last = extras.at(-1);
      if (!last) return {};
      const renamed = { ...last, name: `f${String(round)}_r` };
      return { fields: c.fields.map((f) => (f === last ? renamed : f)) };
    }
    case 2:
      return extras.length > 1 ? { fields: c.fields.filter((f) => f !== extras[0]) } : {};
    case 3: {
      const column = extras.at(-1)?.name ?? 'title';
      const name = `idx_${randomId()}`;
      return { indexes: [...c.indexes, `CREATE INDEX ${name} ON ${c.name} (${column}, title)`] };
    }
    case 4:
      return { indexes: c.indexes.slice(1) };
    case 5:
      return {
        fields: c.fields.map((f) =>
          f === sel ? { ...f, maxSelect: f.maxSelect === 1 ? 2 : 1 } : f,
        ),
      };
    default:
      return { name: c.name === 'crash_a' ? 'crash_b' : 'crash_a' };
  }
}

/** The changer: collection changes one after the other, and a side collection made and dropped. */
async function changeLoop(token: string, collectionId: string, until: () => boolean) {
  let round = 0;
  while (!until()) {
    round++;
    try {
      if (round % 8 === 0) {
        await call('POST', '/api/collections', token, {
          name: `side_${String(round)}`,
          fields: [{ name: 'x', type: 'number' }],
          indexes: [`CREATE INDEX idx_side_${String(round)} ON side_${String(round)} (x)`],
        });
        await call('DELETE', `/api/collections/side_${String(round)}`, token);
        continue;
      }
      const got = await call('GET', `/api/collections/${collectionId}`, token);
      if (got.status !== 200) continue;
      const c = got.body as unknown as { name: string; fields: FieldJson[]; indexes: string[] };
      await call('PATCH', `/api/collections/${collectionId}`, token, nextChange(round, c));
    } catch {
      await sleep(50); // the server is down: try again once it is back
    }
  }
}

/** A writer: creates records, remembering those whose creation was acknowledged. */
async function writeLoop(
  token: string,
  collectionId: string,
  acked: string[],
  until: () => boolean,
) {
  while (!until()) {
    const id = randomId();
    try {
      const res = await call('POST', `/api/collections/${collectionId}/records`, token, {
        id,
        title: 'w',
      });
      if (res.status === 200) acked.push(id);
      else await sleep(20);
    } catch {
      await sleep(50);
    }
  }
}

/** A value of each field type the loop makes. */
function valueFor(f: FieldJson): unknown {
  if (f.type === 'number') return 7;
  if (f.type === 'select') return 'a';
  return 'v';
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'basalt-kill-'));
  database = await createEngineDatabase();
  port = await freePort();
  const made = spawnSync(
    process.execPath,
    [BIN, 'superuser', 'upsert', EMAIL, PASSWORD, `--dir=${dir}`, ...dbArgs()],
    { encoding: 'utf8', env: { ...process.env, BASALT_LOG_LEVEL: 'warn' } },
  );
  if (made.status !== 0) throw new Error(made.stderr);
});

afterAll(async () => {
  await stop('SIGKILL');
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe(`kill -9 during collection changes (${testEngine()})`, () => {
  it(`leaves every collection writable and matching its metadata after ${String(KILLS)} kills`, async () => {
    await start();
    let token = await login();
    const made = await call('POST', '/api/collections', token, {
      name: 'crash_a',
      fields: [
        { name: 'title', type: 'text' },
        { name: 'sel', type: 'select', values: ['a', 'b'], maxSelect: 1 },
        { name: 'f0', type: 'text' },
      ],
    });
    expect(made.status).toBe(200);
    const collectionId = String(made.body.id);
    // A view over another collection: every change of crash_a drops and rebuilds it.
    const source = await call('POST', '/api/collections', token, {
      name: 'crash_src',
      listRule: '',
      fields: [{ name: 'title', type: 'text' }],
    });
    expect(source.status).toBe(200);
    expect(
      (await call('POST', '/api/collections/crash_src/records', token, { title: 's' })).status,
    ).toBe(200);
    const view = await call('POST', '/api/collections', token, {
      name: 'crash_view',
      type: 'view',
      listRule: '',
      viewQuery: 'SELECT s.id, s.title FROM crash_src s',
    });
    expect(view.status, JSON.stringify(view.body)).toBe(200);
    const acked: string[] = [];
    let stopping = false;
    const until = () => stopping;
    const loops = [
      changeLoop(token, collectionId, until),
      ...Array.from({ length: WRITERS }, () => writeLoop(token, collectionId, acked, until)),
    ];
    for (let kill = 0; kill < KILLS; kill++) {
      await sleep(100 + rand(600));
      await stop('SIGKILL');
      await start();
    }
    stopping = true;
    await Promise.all(loops);

    token = await login();
    const list = await call('GET', '/api/collections?perPage=500', token);
    const collections = (
      list.body.items as {
        id: string;
        name: string;
        type: string;
        system: boolean;
        fields: FieldJson[];
      }[]
    ).filter((c) => c.type === 'base' && !c.name.startsWith('_'));
    expect(collections.length).toBeGreaterThan(0);
    for (const c of collections) {
      const body: Record<string, unknown> = {};
      for (const f of c.fields) {
        if (f.name !== 'id' && f.type !== 'autodate' && f.type !== 'password') {
          body[f.name] = valueFor(f);
        }
      }
      const res = await call('POST', `/api/collections/${c.id}/records`, token, body);
      expect(res.status, `${c.name}: ${JSON.stringify(res.body)}`).toBe(200);
      // Every field the metadata names reads back as written.
      expect(res.body).toMatchObject(
        Object.fromEntries(
          Object.entries(body).map(([k, v]) => [
            k,
            c.fields.find((f) => f.name === k)?.maxSelect === 2 ? [v] : v,
          ]),
        ),
      );
    }
    const viewed = await call('GET', '/api/collections/crash_view/records?sort=id', token);
    expect(viewed.status).toBe(200);
    const sources = await call('GET', '/api/collections/crash_src/records?sort=id', token);
    const rows = (reply: Reply) =>
      (reply.body.items as { id: string; title: string }[]).map(({ id, title }) => ({ id, title }));
    expect(rows(viewed)).toEqual(rows(sources));
    await stop('SIGTERM');

    // Open the database without a start-up recovery: what the last server left must match.
    const adapter = await openAdapter({ url: database.url, dataDir: dir });
    const app = App.over({ dataDir: dir, databaseUrl: database.url }, adapter);
    try {
      expect(await schemaMismatches(app)).toEqual([]);
      const stored = (await loadCollections(adapter.db)).find((c) => c.id === collectionId);
      expect(stored).toBeDefined();
      const rows = await adapter.db
        .selectFrom(stored?.name ?? '')
        .select('id')
        .execute();
      const have = new Set(rows.map((r) => String(r.id)));
      expect(acked.length).toBeGreaterThan(0);
      expect(acked.filter((id) => !have.has(id))).toEqual([]);
    } finally {
      await app.close();
    }
  }, 240_000);
});
