import { resolve } from 'node:path';
import { pino, type Logger } from 'pino';
import { App } from '../core/app.js';
import { ApiError, isFieldError, type ErrorData } from '../core/errors.js';

/** The default data directory, relative to the working directory. */
export const DEFAULT_DIR = './basalt_data';

/** A logger writing JSON lines to stdout at BASALT_LOG_LEVEL (default `info`). */
export function cliLogger(): Logger {
  return pino({ level: process.env.BASALT_LOG_LEVEL ?? 'info' });
}

/** Opens the App of a data directory. */
export function openApp(dir: string, logger?: Logger): Promise<App> {
  return App.open({ dataDir: resolve(dir), ...(logger ? { logger } : {}) });
}

function describeData(data: ErrorData, prefix = ''): string[] {
  return Object.entries(data).flatMap(([key, value]) =>
    isFieldError(value)
      ? [`  ${prefix}${key}: ${value.message}`]
      : describeData(value, `${prefix}${key}.`),
  );
}

/** Prints an error for a person at a terminal and sets a failing exit code. */
export function reportCliError(error: unknown): void {
  if (error instanceof ApiError) {
    console.error(`Error: ${error.message}`);
    for (const line of describeData(error.data)) console.error(line);
  } else {
    console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exitCode = 1;
}
