import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TextField } from './text-field.js';
import { validateFieldValue } from './field-value-validate.js';

function textField(min: number, max: number): TextField {
  return {
    id: 'f1',
    name: 'title',
    system: false,
    hidden: false,
    presentable: false,
    type: 'text',
    min,
    max,
    pattern: '',
    autogeneratePattern: '',
    required: false,
    primaryKey: false,
    help: '',
  };
}

/** The expected error code: lengths count code points, so 😀 (two UTF-16 units) is one. */
function expectedCode(text: string, min: number, max: number): string | undefined {
  if (text === '') return undefined;
  const length = Array.from(text).length;
  if (min > 0 && length < min) return 'validation_min_text_constraint';
  if (max > 0 && length > max) return 'validation_max_text_constraint';
  return undefined;
}

describe('text length limits', () => {
  it('count code points, not UTF-16 units', () => {
    expect(validateFieldValue(textField(0, 3), '😀😀😀')).toBeUndefined();
    expect(validateFieldValue(textField(0, 3), '😀😀😀😀')?.code).toBe(
      'validation_max_text_constraint',
    );
    expect(validateFieldValue(textField(3, 0), '😀😀')?.code).toBe(
      'validation_min_text_constraint',
    );
    expect(validateFieldValue(textField(3, 0), '😀😀😀')).toBeUndefined();
  });

  it('agree with a code point count for any text and limits', () => {
    const unit = fc.constantFrom('a', 'é', '😀', '中', '\ud800');
    const text = fc.array(unit, { maxLength: 12 }).map((parts) => parts.join(''));
    const limit = fc.integer({ min: 0, max: 14 });
    fc.assert(
      fc.property(text, limit, limit, (value, min, max) => {
        expect(validateFieldValue(textField(min, max), value)?.code).toBe(
          expectedCode(value, min, max),
        );
      }),
      { numRuns: 3000 },
    );
  });
});
