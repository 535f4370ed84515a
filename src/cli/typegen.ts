import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { generateTypes } from '../core/typegen/generate-types.js';
import { writeTypes } from '../core/typegen/write-types.js';
import { embeddedDatabaseFile } from '../db/open-adapter.js';
import {
  addDataOptions,
  dataSettings,
  openApp,
  reportCliError,
  type DataOptions,
} from './shared-options.js';

/** The options of `basalt typegen`. */
interface TypegenCliOptions extends DataOptions {
  readonly out: string;
  /** False with `--no-sdk`. */
  readonly sdk: boolean;
  /** False with `--no-hooks`. */
  readonly hooks: boolean;
}

/** The default output file, relative to the working directory. */
const DEFAULT_OUT = './basalt-types.ts';

async function typegen(opts: TypegenCliOptions): Promise<void> {
  // Reading a schema must not create an empty database where there is none.
  if (!dataSettings(opts).databaseUrl && !existsSync(embeddedDatabaseFile(resolve(opts.dir)))) {
    throw new Error(`No Basalt database in ${resolve(opts.dir)} (give --dir or --db).`);
  }
  const app = await openApp(opts);
  try {
    const options = { sdk: opts.sdk, hooks: opts.hooks };
    if (opts.out === '-') {
      process.stdout.write(generateTypes(app.collections.all(), options));
      return;
    }
    const written = writeTypes(app, opts.out, options);
    const count = app.collections.all().length;
    console.log(
      `${written ? 'Wrote' : 'Unchanged:'} ${resolve(opts.out)} (${String(count)} collections).`,
    );
  } finally {
    await app.close();
  }
}

/** `basalt typegen [--out FILE] [--no-sdk] [--no-hooks] [--dir DIR | --db URL]`. */
export function registerTypegenCommand(program: Command): void {
  const cmd = program
    .command('typegen')
    .description(
      'Write TypeScript types of the collections: records, create/update bodies, ' +
        'TypedPocketBase for the pocketbase SDK, and the types of e.record in hooks.',
    )
    .option('--out <file>', 'the file to write ("-" for stdout)', DEFAULT_OUT)
    .option('--no-sdk', 'leave out TypedPocketBase (the file then does not import pocketbase)')
    .option('--no-hooks', "leave out the declare module 'basalt' that types hooks");
  addDataOptions(cmd).action(async (opts: TypegenCliOptions) => {
    try {
      await typegen(opts);
    } catch (error) {
      reportCliError(error);
    }
  });
}
