import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';

const ROOT = join(import.meta.dirname, '..', '..');

/** A test's time limit around type-checking, which takes a while on a busy machine. */
export const TYPECHECK_TIMEOUT = 180_000;

/** One compile error: the file it is in (as given), its code and its whole message. */
export interface TypeError {
  readonly file: string;
  readonly code: number;
  readonly message: string;
}

/**
 * Type-checks `files` (name -> source) with the real TypeScript compiler, as an app of its
 * own would: strict, ES modules, `pocketbase` resolving to the SDK's declarations and
 * `basalt` to the built package's (`dist/index.d.ts`, from `npm run build`). Returns the
 * errors of every file, sorted by file.
 */
export function typecheck(files: Readonly<Record<string, string>>): TypeError[] {
  const dir = mkdtempSync(join(tmpdir(), 'basalt-typecheck-'));
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const program = ts.createProgram(
      Object.keys(files).map((name) => join(dir, name)),
      {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        verbatimModuleSyntax: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules', '@types')],
        paths: {
          pocketbase: [join(ROOT, 'node_modules', 'pocketbase', 'dist', 'pocketbase.es.d.mts')],
          basalt: [join(ROOT, 'dist', 'index.d.ts')],
        },
      },
    );
    return ts
      .getPreEmitDiagnostics(program)
      .map((d) => ({
        file: d.file ? d.file.fileName.slice(dir.length + 1) : '',
        code: d.code,
        message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
      }))
      .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
