import { execFileSync } from 'node:child_process';

/** Builds dist/ once before the suites that run the real `basalt` binary. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-if-needed.mjs'], { stdio: 'inherit' });
}
