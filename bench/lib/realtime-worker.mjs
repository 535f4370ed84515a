// A load-generator process of bench/realtime.mjs: opens many raw SSE connections to
// /api/realtime (plain node:http, no SDK, no EventSource), subscribes each as a guest, and
// records for every record event the delivery latency: receive time minus the send time that
// the benchmark wrote into the record's title (`t<epoch ms>`). Parsing is minimal: one
// indexOf per chunk. Controlled by the parent over IPC.
import { Buffer } from 'node:buffer';
import { Agent, request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const MARK = Buffer.from('"title":"t');
const CONNECT_ID = Buffer.from('id:');
const now = () => performance.timeOrigin + performance.now();

const sockets = [];
let latencies = new Float64Array(1 << 16);
let count = 0;
let ended = 0;
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();

function record(value) {
  if (count === latencies.length) {
    const next = new Float64Array(latencies.length * 2);
    next.set(latencies);
    latencies = next;
  }
  latencies[count++] = value;
}

/** Reads every complete frame of a chunk (a frame split over chunks waits for the rest). */
function onFrames(conn, chunk) {
  const buf = conn.partial ? Buffer.concat([conn.partial, chunk]) : chunk;
  const complete = buf.length >= 2 && buf[buf.length - 1] === 10 && buf[buf.length - 2] === 10;
  conn.partial = complete ? undefined : buf;
  if (!complete) return;
  const received = now();
  let at = buf.indexOf(MARK);
  while (at >= 0) {
    const start = at + MARK.length;
    const end = buf.indexOf(34, start); // the closing quote
    const sent = Number(buf.toString('latin1', start, end));
    if (Number.isFinite(sent)) {
      record(received - sent);
      conn.events++;
    }
    at = buf.indexOf(MARK, end);
  }
}

/** Opens one SSE connection; resolves with its client id (from PB_CONNECT's `id:` line). */
function openOne(baseUrl) {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}/api/realtime`, { agent: false }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`GET /api/realtime answered ${res.statusCode}`));
        res.resume();
        return;
      }
      const conn = { res, id: '', events: 0, partial: undefined };
      res.once('data', (first) => {
        const at = first.indexOf(CONNECT_ID);
        conn.id = first.toString('latin1', at + 3, first.indexOf(10, at));
        sockets.push(conn);
        res.on('data', (chunk) => onFrames(conn, chunk));
        resolve(conn);
      });
      res.on('close', () => {
        ended++;
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function subscribe(baseUrl, agent, conn, topic) {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ clientId: conn.id, subscriptions: [topic] });
    const req = request(
      `${baseUrl}/api/realtime`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 204
            ? resolve()
            : reject(new Error(`POST /api/realtime answered ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Opens `n` connections, `concurrency` at a time, and subscribes each to `topic`. */
async function open({ baseUrl, n, topic, concurrency }) {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  let next = 0;
  let failed = 0;
  const errors = new Set();
  async function lane() {
    while (next < n) {
      next++;
      try {
        const conn = await openOne(baseUrl);
        await subscribe(baseUrl, agent, conn, topic);
      } catch (err) {
        failed++;
        errors.add(err.message);
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  agent.destroy();
  return { opened: n - failed, failed, errors: [...errors].slice(0, 3) };
}

function collect() {
  const events = sockets.map((s) => s.events);
  return {
    latencies: latencies.slice(0, count),
    minEvents: events.length ? Math.min(...events) : 0,
    maxEvents: events.length ? Math.max(...events) : 0,
    ended,
    lagP99: lag.percentile(99) / 1e6,
    lagMax: lag.max / 1e6,
  };
}

process.on('message', async (msg) => {
  try {
    if (msg.cmd === 'open') process.send({ type: 'opened', ...(await open(msg)) });
    else if (msg.cmd === 'reset') {
      count = 0;
      for (const s of sockets) s.events = 0;
      lag.reset();
      process.send({ type: 'reset' });
    } else if (msg.cmd === 'collect') process.send({ type: 'collected', ...collect() });
    else if (msg.cmd === 'close') {
      for (const s of sockets) s.res.destroy();
      process.send({ type: 'closed' });
      process.exit(0);
    }
  } catch (err) {
    process.send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
});
process.send({ type: 'ready' });
