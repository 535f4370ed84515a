import { describe, expect, it } from 'vitest';
import { ProgressBar, renderBar, type ProgressStream } from './progress-bar.js';

function stream(isTTY: boolean, columns?: number): ProgressStream & { text: string } {
  return {
    isTTY,
    columns,
    text: '',
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

describe('progress bar', () => {
  it('renders the share done', () => {
    expect(renderBar(0, 10, 10)).toBe('[..........]   0%');
    expect(renderBar(5, 10, 10)).toBe('[#####.....]  50%');
    expect(renderBar(10, 10, 10)).toBe('[##########] 100%');
    expect(renderBar(0, 0, 4)).toBe('[####] 100%');
  });

  it('redraws in place on a terminal, at most every 100 ms unless forced', () => {
    const out = stream(true, 0);
    const bar = new ProgressBar(out);
    bar.update(1, 4, 'items', true);
    bar.update(2, 4, 'items');
    bar.update(4, 4, 'items', true);
    bar.finish();
    expect(out.text).toBe(
      '\r[########......................]  25% 1/4 items\u001b[K' +
        '\r[##############################] 100% 4/4 items\u001b[K\n',
    );
  });

  it('writes only plain lines when the stream is not a terminal', () => {
    const out = stream(false);
    const bar = new ProgressBar(out);
    bar.update(1, 2, 'items', true);
    bar.line('items: 2 rows');
    bar.finish();
    expect(out.text).toBe('items: 2 rows\n');
  });
});
