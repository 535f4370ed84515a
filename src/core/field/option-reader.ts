import type { ErrorCollector } from '../validation-errors.js';
import { fieldError } from '../validation-errors.js';

/** Bounds for integer options. */
export interface IntBounds {
  readonly min?: number;
  readonly max?: number;
}

/**
 * Reads typed options out of untrusted JSON input, filling defaults and recording a field
 * error (under `path` + key) for every value of the wrong type or out of range.
 */
export class OptionReader {
  constructor(
    private readonly input: Readonly<Record<string, unknown>>,
    private readonly errors: ErrorCollector,
    private readonly path: readonly string[],
  ) {}

  /** Records an error for option `key`. */
  fail(
    key: string,
    code: Parameters<typeof fieldError>[0],
    params?: Record<string, unknown>,
  ): void {
    this.errors.add([...this.path, key], fieldError(code, params));
  }

  private present(key: string): unknown {
    const value = this.input[key];
    return value === null ? undefined : value;
  }

  /** A boolean option. */
  bool(key: string, fallback = false): boolean {
    const value = this.present(key);
    if (value === undefined) return fallback;
    if (typeof value === 'boolean') return value;
    this.fail(key, 'validation_invalid_type');
    return fallback;
  }

  /** A finite number option. */
  number(key: string, fallback: number): number {
    const value = this.present(key);
    if (value === undefined) return fallback;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    this.fail(key, 'validation_not_a_number');
    return fallback;
  }

  /** A number option that may be null (unbounded). */
  numberOrNull(key: string): number | null {
    const value = this.present(key);
    if (value === undefined) return null;
    return this.number(key, 0);
  }

  /** An integer option within bounds. */
  int(key: string, fallback: number, bounds: IntBounds = {}): number {
    const value = this.number(key, fallback);
    if (!Number.isInteger(value)) {
      this.fail(key, 'validation_only_int_constraint');
      return fallback;
    }
    if (bounds.min !== undefined && value < bounds.min) {
      this.fail(key, 'validation_min_number_constraint', { min: bounds.min });
      return fallback;
    }
    if (bounds.max !== undefined && value > bounds.max) {
      this.fail(key, 'validation_max_number_constraint', { max: bounds.max });
      return fallback;
    }
    return value;
  }

  /** A string option of at most `maxLength` characters. */
  string(key: string, fallback = '', maxLength = 5000): string {
    const value = this.present(key);
    if (value === undefined) return fallback;
    if (typeof value !== 'string') {
      this.fail(key, 'validation_is_string');
      return fallback;
    }
    if (value.length > maxLength) {
      this.fail(key, 'validation_max_text_constraint', { max: maxLength });
      return fallback;
    }
    return value;
  }

  /** A string option that may be null; an absent key reads as `fallback`. */
  nullableString(key: string, fallback: string | null, maxLength = 5000): string | null {
    if (this.input[key] === null) return null;
    if (this.input[key] === undefined) return fallback;
    return this.string(key, '', maxLength);
  }

  /** An array of distinct strings, each at most `maxLength` characters, at most `maxItems`. */
  strings(key: string, maxItems = 1000, maxLength = 1000): string[] {
    const value = this.present(key);
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.length > maxItems) {
      this.fail(key, 'validation_invalid_type');
      return [];
    }
    const out: string[] = [];
    for (const item of value) {
      if (typeof item !== 'string' || item.length > maxLength || item === '') {
        this.fail(key, 'validation_invalid_value');
        return [];
      }
      if (!out.includes(item)) out.push(item);
    }
    return out;
  }

  /** A regular expression source (empty allowed); invalid patterns are errors. */
  pattern(key: string): string {
    const source = this.string(key, '', 1000);
    if (source === '') return '';
    try {
      new RegExp(source, 'u');
      return source;
    } catch {
      this.fail(key, 'validation_invalid_format');
      return '';
    }
  }
}
