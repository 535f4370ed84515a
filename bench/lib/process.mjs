// Child-process helpers of the benchmarks: free ports, server start/stop with a health probe,
// one-shot commands, and CPU time read from /proc.
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { registerCleanup } from './cleanup.mjs';
import { BenchFailure } from './errors.mjs';

/** An unused TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Keeps the last `max` characters written to a stream, for error messages. */
function tail(stream, max = 4000) {
  let text = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk) => {
    text = (text + chunk).slice(-max);
  });
  return () => text.trim();
}

/** Runs a command to completion; rejects with its output when it exits non-zero. */
export function run(file, args, options = {}) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: 16 * 1024 * 1024, ...options }, (err, stdout, stderr) => {
      if (err) {
        const output = `${stdout}${stderr}`.trim();
        const command = [file, ...args].join(' ');
        reject(new BenchFailure(`${command} exited with code ${err.code}:\n${output}`));
      } else {
        resolve(stdout);
      }
    });
  });
}

/**
 * Spawns a server and waits until GET {baseUrl}/api/health answers 200. Returns
 * { pid, baseUrl, output(), stop() }. Fails with the server's output when it exits first. The
 * server is stopped by runCleanups() (lib/cleanup.mjs) unless stop() was called before.
 */
export async function startServer({ name, file, args, port, env = {}, timeoutMs = 60_000 }) {
  const child = spawn(process.execPath, [file, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const output = tail(child.stdout);
  const errors = tail(child.stderr);
  const both = () => [output(), errors()].filter(Boolean).join('\n');
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  // Registered at once, so that an interrupted benchmark stops a server still starting too.
  const stop = registerCleanup(async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const killed = await Promise.race([exitPromise.then(() => true), sleep(10_000, false)]);
    if (!killed) {
      child.kill('SIGKILL');
      await exitPromise;
    }
  });
  const started = performance.now();
  for (;;) {
    if (exited) {
      await stop(); // nothing left to stop: unregisters it
      throw new BenchFailure(
        `${name} exited (code ${exited.code}, signal ${exited.signal}) before /api/health answered:\n${both()}`,
      );
    }
    const ok = await fetch(`${baseUrl}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (performance.now() - started > timeoutMs) {
      await stop();
      throw new BenchFailure(
        `${name} did not answer /api/health within ${timeoutMs} ms:\n${both()}`,
      );
    }
    await sleep(20);
  }
  return { pid: child.pid, baseUrl, output: both, stop, isRunning: () => exited === null };
}

/** CPU seconds (user + system) used so far by a process, or undefined without /proc. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / 100; // USER_HZ is 100 on every Linux this runs on
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds of the whole machine, summed over cores: `processes` (user + nice + system) and
 * `stolen` (steal: time the hypervisor ran someone else while this VM wanted the CPU).
 * Interrupt time is left out: the benchmark's own loopback traffic lands there.
 */
export function machineCpuSeconds() {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    return { processes: (ticks[0] + ticks[1] + ticks[2]) / 100, stolen: (ticks[7] ?? 0) / 100 };
  } catch {
    return undefined;
  }
}

/**
 * Starts measuring CPU use; the returned function gives, in cores over the elapsed time, the
 * use of this process (the load generator), of the server `pid`, of the database server
 * processes `databasePids` (the backends of the server's own database, when it has one), of
 * every other process, and the time stolen by the hypervisor. Figures are undefined where
 * /proc is not available (databaseCpu also when there are no `databasePids`).
 */
export function startCpuMeter(pid, databasePids = []) {
  const t0 = performance.now();
  const self0 = process.cpuUsage();
  const server0 = cpuSeconds(pid);
  const database0 = databasePids.map(cpuSeconds);
  const machine0 = machineCpuSeconds();
  return () => {
    const wall = (performance.now() - t0) / 1000;
    const self = process.cpuUsage(self0);
    const server1 = cpuSeconds(pid);
    const machine1 = machineCpuSeconds();
    const loadgenCpu = (self.user + self.system) / 1e6 / wall;
    const serverCpu =
      server0 === undefined || server1 === undefined ? undefined : (server1 - server0) / wall;
    // A backend that ended during the measurement is left out (its last figures are gone).
    const databaseSeconds = databasePids.reduce((total, dbPid, i) => {
      const end = cpuSeconds(dbPid);
      return database0[i] === undefined || end === undefined ? total : total + end - database0[i];
    }, 0);
    const databaseCpu = databasePids.length > 0 ? databaseSeconds / wall : undefined;
    const known = machine0 !== undefined && machine1 !== undefined && serverCpu !== undefined;
    const measured = loadgenCpu + (serverCpu ?? 0) + (databaseCpu ?? 0);
    return {
      loadgenCpu,
      serverCpu,
      databaseCpu,
      otherCpu: known
        ? Math.max(0, (machine1.processes - machine0.processes) / wall - measured)
        : undefined,
      stolenCpu: known ? (machine1.stolen - machine0.stolen) / wall : undefined,
    };
  };
}

/**
 * Waits until the machine's processes used less than `maxCores` over one second, for at most
 * `maxSeconds`. Returns true when it got quiet (or /proc is unavailable), false otherwise.
 */
export async function waitForQuiet(maxSeconds, maxCores = 0.1) {
  const deadline = performance.now() + maxSeconds * 1000;
  for (;;) {
    const before = machineCpuSeconds();
    await sleep(1000);
    const after = machineCpuSeconds();
    if (!before || !after || after.processes - before.processes < maxCores) return true;
    if (performance.now() >= deadline) return false;
  }
}
