import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const REPO = join(import.meta.dirname, '..', '..');

/**
 * A temporary app directory as a user has it: `node_modules` with a small package
 * (`fake-greeting`) and `basalt` (a link to this repository), `basalt_hooks/` and
 * `basalt_data/`.
 */
export class HooksAppDir {
  readonly root: string;
  readonly hooksDir: string;
  readonly dataDir: string;

  constructor() {
    this.root = mkdtempSync(join(tmpdir(), 'basalt-hooks-app-'));
    this.hooksDir = join(this.root, 'basalt_hooks');
    this.dataDir = join(this.root, 'basalt_data');
    mkdirSync(this.hooksDir);
    const pkg = join(this.root, 'node_modules', 'fake-greeting');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(
      join(pkg, 'package.json'),
      JSON.stringify({ name: 'fake-greeting', type: 'module', exports: './index.js' }),
    );
    writeFileSync(join(pkg, 'index.js'), 'export const greet = (name) => `hello ${name}`;\n');
    symlinkSync(REPO, join(this.root, 'node_modules', 'basalt'), 'dir');
  }

  /** Writes a file under `basalt_hooks/`. */
  write(file: string, text: string): void {
    const path = join(this.hooksDir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }

  /** Saves a file under `basalt_hooks/` as many editors do: a new file renamed over it. */
  replace(file: string, text: string): void {
    const path = join(this.hooksDir, file);
    const temporary = join(dirname(path), `.${String(Date.now())}.tmp`);
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
