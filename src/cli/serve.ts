import { resolve } from 'node:path';
import type { Command } from 'commander';
import { hasSuperuser } from '../core/auth/superuser-admin.js';
import { buildServer, closeServer } from '../http/server.js';
import {
  addDataOptions,
  cliLogger,
  openApp,
  reportCliError,
  type DataOptions,
} from './shared-options.js';

/** Parses `host:port` (or `:port`, or a bare port) of `--http`. */
export function parseHttpAddress(text: string): { host: string; port: number } {
  const match = /^(?:(.*):)?(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[2]);
  if (!match || !Number.isInteger(port) || port > 65535) {
    throw new Error(`Invalid --http address "${text}"; expected host:port, e.g. 127.0.0.1:8090.`);
  }
  const host = (match[1] ?? '').replace(/^\[(.*)\]$/, '$1');
  return { host: host === '' ? '0.0.0.0' : host, port };
}

/** How long requests in flight may take to finish on SIGINT/SIGTERM. */
const SHUTDOWN_GRACE_MS = 10_000;

async function serve(opts: DataOptions & { http: string }): Promise<void> {
  const address = parseHttpAddress(opts.http);
  const logger = cliLogger();
  const app = await openApp(opts, logger);
  const server = await buildServer(app);
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await closeServer(server, SHUTDOWN_GRACE_MS);
    await app.close();
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await server.listen({ host: address.host, port: address.port });
  const shownHost = address.host.includes(':') ? `[${address.host}]` : address.host;
  console.log(
    `\nBasalt is running.\n  REST API: http://${shownHost}:${String(address.port)}/api/\n`,
  );
  if (!(await hasSuperuser(app))) {
    console.log(
      'No superuser exists yet. Create one with:\n' +
        `  npx basalt superuser upsert EMAIL PASSWORD --dir=${resolve(opts.dir)}\n`,
    );
  }
}

/** `basalt serve [--http=127.0.0.1:8090] [--dir=./basalt_data] [--db=postgres://...]`. */
export function registerServeCommand(program: Command): void {
  const command = program
    .command('serve')
    .description('Start the HTTP server.')
    .option('--http <address>', 'the address to listen on', '127.0.0.1:8090');
  addDataOptions(command).action(async (opts: DataOptions & { http: string }) => {
    try {
      await serve(opts);
    } catch (error) {
      reportCliError(error);
    }
  });
}
