import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import {
  createSuperuser,
  deleteSuperuser,
  setSuperuserPassword,
  upsertSuperuser,
} from '../core/auth/superuser-admin.js';
import type { App } from '../core/app.js';
import { addDataOptions, openApp, reportCliError, type DataOptions } from './shared-options.js';

/** Reads a password from the terminal without echo, or the first line of piped input. */
async function promptPassword(): Promise<string> {
  let muted = false;
  // The terminal echo goes through this stream, which stays silent while the password is typed.
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!muted) process.stderr.write(chunk);
      callback();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: process.stdin.isTTY });
  if (process.stdin.isTTY) {
    process.stderr.write('Password: ');
    muted = true;
  }
  const line = await new Promise<string>((resolve) => {
    rl.once('line', resolve);
    rl.once('close', () => {
      resolve('');
    });
  });
  rl.close();
  if (process.stdin.isTTY) process.stderr.write('\n');
  return line;
}

async function withApp(opts: DataOptions, run: (app: App) => Promise<void>): Promise<void> {
  try {
    const app = await openApp(opts);
    try {
      await run(app);
    } finally {
      await app.close();
    }
  } catch (error) {
    reportCliError(error);
  }
}

/** `basalt superuser upsert|create|update|delete EMAIL [PASSWORD] [--dir]`. */
export function registerSuperuserCommand(program: Command): void {
  const cmd = program
    .command('superuser')
    .description('Manage superusers (the accounts that administer collections and settings).');

  const withPassword: {
    name: string;
    description: string;
    run: (app: App, email: string, password: string) => Promise<string>;
  }[] = [
    {
      name: 'upsert',
      description: 'Create a superuser, or set its password when it exists.',
      run: async (app, email, password) =>
        (await upsertSuperuser(app, email, password))
          ? `Created superuser ${email}.`
          : `Updated the password of superuser ${email}.`,
    },
    {
      name: 'create',
      description: 'Create a superuser.',
      run: async (app, email, password) => {
        await createSuperuser(app, email, password);
        return `Created superuser ${email}.`;
      },
    },
    {
      name: 'update',
      description: "Set a superuser's password (ends all of its sessions).",
      run: async (app, email, password) => {
        await setSuperuserPassword(app, email, password);
        return `Updated the password of superuser ${email}.`;
      },
    },
  ];
  for (const { name, description, run } of withPassword) {
    const sub = cmd
      .command(name)
      .description(description)
      .argument('<email>')
      .argument('[password]', 'asked for when omitted');
    addDataOptions(sub).action(
      async (email: string, password: string | undefined, opts: DataOptions) => {
        const pw = password ?? (await promptPassword());
        await withApp(opts, async (app) => {
          console.log(await run(app, email, pw));
        });
      },
    );
  }

  const del = cmd.command('delete').description('Delete a superuser.').argument('<email>');
  addDataOptions(del).action(async (email: string, opts: DataOptions) => {
    await withApp(opts, async (app) => {
      await deleteSuperuser(app, email);
      console.log(`Deleted superuser ${email}.`);
    });
  });
}
