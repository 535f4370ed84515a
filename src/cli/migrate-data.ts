import type { Command } from 'commander';
import {
  CopyCleanupError,
  migrateData,
  type CopyObserver,
  type CopyResult,
} from '../core/data-copy/data-copy.js';
import { describeLocation, parseDatabaseLocation } from '../db/open-for-copy.js';
import { formatCount, ProgressBar, type ProgressStream } from './progress-bar.js';
import { reportCliError } from './shared-options.js';

function rowCount(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'row' : 'rows'}`;
}

/** Shows the copy on `stream`: a bar on a terminal, a line per copied table otherwise. */
function copyProgress(stream: ProgressStream): CopyObserver & { finish(): void } {
  const bar = new ProgressBar(stream);
  let total = 0;
  let copied = 0;
  return {
    planned(plan) {
      total = plan.tables.reduce((sum, t) => sum + t.rows, 0);
      if (!bar.live) {
        bar.line(`Copying ${rowCount(total)} in ${String(plan.tables.length)} tables.`);
      }
      bar.update(0, total, '', true);
    },
    copied(table, rows) {
      copied += rows;
      bar.update(copied, total, table);
    },
    tableDone(table, rows) {
      if (bar.live) bar.update(copied, total, table, true);
      else bar.line(`  ${table}: ${rowCount(rows)} (${formatCount(copied)}/${formatCount(total)})`);
    },
    finish: () => {
      bar.finish();
    },
  };
}

function summary(result: CopyResult, from: string, to: string): string {
  const seconds = result.durationMs / 1000;
  const rate = seconds > 0 ? Math.round(result.rows / seconds) : result.rows;
  const lines = [
    `Copied ${String(result.collections)} collections and ${rowCount(result.rows)} ` +
      `from ${from} to ${to} in ${seconds.toFixed(1)} s (${formatCount(rate)} rows/s); ` +
      'the row counts match.',
  ];
  if (result.skipped.length > 0) {
    lines.push(`Not copied (tables that are not Basalt's): ${result.skipped.join(', ')}.`);
  }
  return lines.join('\n');
}

/** `basalt migrate-data --from=<dir|url> --to=<dir|url>`. */
export function registerMigrateDataCommand(program: Command): void {
  program
    .command('migrate-data')
    .description(
      'Copy a whole Basalt database (collections, records, accounts, settings) into an empty ' +
        'database on another engine, all or nothing.',
    )
    .requiredOption('--from <dir|url>', 'the source: a data directory (SQLite) or a database URL')
    .requiredOption('--to <dir|url>', 'the empty target: a database URL or a data directory')
    .action(async (opts: { from: string; to: string }) => {
      const from = parseDatabaseLocation(opts.from);
      const to = parseDatabaseLocation(opts.to);
      const progress = copyProgress(process.stderr);
      try {
        const result = await migrateData(from, to, progress);
        progress.finish();
        console.log(summary(result, describeLocation(from), describeLocation(to)));
      } catch (error) {
        progress.finish();
        reportCliError(error);
        if (!(error instanceof CopyCleanupError)) {
          console.error(`Nothing was written to ${describeLocation(to)}.`);
        }
      }
    });
}
