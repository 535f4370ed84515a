import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const MODULE = pathToFileURL(join(import.meta.dirname, '..', '..', 'dist', 'http', 'tick-maps.js'));

// A process that runs process.nextTick in rounds with a full garbage collection between them
// (as an idle server does), then prints V8's feedback for nextTick (--allow-natives-syntax).
const SCRIPT = `
import { pinTickObjectMaps } from ${JSON.stringify(MODULE.href)};
if (process.argv.includes('pin')) pinTickObjectMaps();
const debugPrint = new Function('f', '%DebugPrint(f)');
for (let round = 0; round < 20; round++) {
  for (let i = 0; i < 200; i++) process.nextTick(() => {});
  await new Promise((resolve) => setImmediate(resolve));
  gc();
}
debugPrint(process.nextTick);
`;

/** The states of the feedback slots of the tick object literal inside process.nextTick. */
function literalSlotStates(pin: boolean): string[] {
  const output = execFileSync(
    process.execPath,
    [
      '--allow-natives-syntax',
      '--expose-gc',
      '--input-type=module',
      '-e',
      SCRIPT,
      '--',
      pin ? 'pin' : 'none',
    ],
    { encoding: 'utf8' },
  );
  return [...output.matchAll(/DefineKeyedOwnPropertyInLiteral (\w+)/g)].map((m) => m[1] ?? '');
}

describe('the nextTick object pin (tick-maps.ts)', () => {
  it('keeps the feedback of the tick object literal monomorphic across garbage collections', () => {
    const states = literalSlotStates(true);
    expect(states.length).toBeGreaterThan(0);
    expect(states.every((state) => state === 'MONOMORPHIC')).toBe(true);
  });

  // The problem the pin works around. When a Node upgrade makes this fail, V8 keeps the maps
  // by itself and the pin may go (docs/architecture.md, "nextTick feedback").
  it('without it, the same rounds turn that feedback megamorphic', () => {
    expect(literalSlotStates(false)).toContain('MEGAMORPHIC');
  });
});
