// The raw baseline for bench/startup.mjs: Fastify + better-sqlite3 opening a database file and
// answering /api/health, with nothing else. Usage: node raw-health-server.mjs PORT DIR
// The same better-sqlite3 build Basalt loads on this Node.js (12 on Node 20, 13 on 22+).
import { SqliteDatabase as Database } from '../../dist/db/sqlite/sqlite-native.js';
import Fastify from 'fastify';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';

const [port, dir] = process.argv.slice(2);
mkdirSync(dir, { recursive: true });
const db = new Database(join(dir, 'raw.db'));
db.pragma('journal_mode = WAL');
db.exec('create table if not exists t (id text primary key, v text)');
const app = Fastify();
app.get('/api/health', async () => ({ code: 200, message: 'API is healthy.', data: {} }));
await app.listen({ host: '127.0.0.1', port: Number(port) });
