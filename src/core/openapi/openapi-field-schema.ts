import type { Field } from '../field/field-model.js';
import type { JsonSchema } from '../../lib/openapi/openapi-model.js';
import { DATE_TEXT } from './openapi-common.js';

/** What a schema describes: a record answer, a JSON body, or a multipart body. */
export type FieldSchemaUse = 'output' | 'input' | 'form';

/** One value or a list, as `maxSelect` decides. */
function oneOrMany(field: { maxSelect: number }, item: JsonSchema): JsonSchema {
  return field.maxSelect > 1 ? { type: 'array', items: item, maxItems: field.maxSelect } : item;
}

const STRING: JsonSchema = { type: 'string' };
const BINARY: JsonSchema = { type: 'string', format: 'binary' };

function withHelp(schema: JsonSchema, field: Field): JsonSchema {
  return 'help' in field && field.help !== '' ? { ...schema, description: field.help } : schema;
}

function textSchema(field: Extract<Field, { type: 'text' }>, use: FieldSchemaUse): JsonSchema {
  if (field.primaryKey) {
    // The id always matches its field (it is checked when submitted and never empty).
    return {
      type: 'string',
      ...(field.pattern ? { pattern: field.pattern } : {}),
      ...(field.min > 0 ? { minLength: field.min } : {}),
      ...(field.max > 0 ? { maxLength: field.max } : {}),
    };
  }
  // Empty text skips min and pattern, so only the maximum holds for every value.
  return use === 'output' || field.max === 0 ? STRING : { type: 'string', maxLength: field.max };
}

function selectSchema(field: Extract<Field, { type: 'select' }>): JsonSchema {
  if (field.maxSelect > 1) {
    return {
      type: 'array',
      items: { type: 'string', enum: field.values },
      maxItems: field.maxSelect,
    };
  }
  // A single select is "" when empty; "" also clears it on input.
  return { type: 'string', enum: [...field.values, ''] };
}

/**
 * The JSON Schema of a field's value, as the API answers it (`output`), takes it in a JSON
 * body (`input`) or in a multipart body (`form`, where file fields are uploads), following
 * API.md §1.2: text-like values and dates are strings ("" when empty), numbers are numbers
 * (0 when empty), single select/relation/file values strings and multiple ones arrays, json
 * any value (null when empty), geoPoint `{lon, lat}`. Undefined for a value the use never
 * carries (autodates on input).
 */
export function fieldValueSchema(field: Field, use: FieldSchemaUse): JsonSchema | undefined {
  switch (field.type) {
    case 'text':
      return withHelp(textSchema(field, use), field);
    case 'number':
      return withHelp({ type: field.onlyInt ? 'integer' : 'number' }, field);
    case 'bool':
      return withHelp({ type: 'boolean' }, field);
    case 'email':
      return withHelp({ type: 'string', description: 'An email address, or "".' }, field);
    case 'url':
      return withHelp({ type: 'string', description: 'An absolute URL, or "".' }, field);
    case 'editor':
      return withHelp({ type: 'string', description: 'Rich text (HTML).' }, field);
    case 'date':
      return withHelp(DATE_TEXT, field);
    case 'autodate':
      return use === 'output' ? DATE_TEXT : undefined;
    case 'select':
      return withHelp(selectSchema(field), field);
    case 'file':
      return withHelp(oneOrMany(field, use === 'form' ? BINARY : STRING), field);
    case 'relation':
      return withHelp(oneOrMany(field, { type: 'string', description: 'A record id.' }), field);
    case 'json':
      return withHelp({ description: 'Any JSON value (null when empty).' }, field);
    case 'password':
      return withHelp(use === 'output' ? STRING : { type: 'string', writeOnly: true }, field);
    case 'geoPoint':
      return withHelp(
        {
          type: 'object',
          properties: {
            lon: { type: 'number', minimum: -180, maximum: 180 },
            lat: { type: 'number', minimum: -90, maximum: 90 },
          },
          required: ['lon', 'lat'],
        },
        field,
      );
  }
}

/**
 * The body-key modifiers a field accepts (API.md §1.3), with the schema of their value:
 * `field+` / `field-` for numbers, `+field` / `field+` / `field-` for select, relation and
 * file fields, `field:autogenerate` for text with an autogenerate pattern.
 */
export function fieldModifierSchemas(
  field: Field,
  use: FieldSchemaUse,
): Record<string, JsonSchema> {
  const name = field.name;
  switch (field.type) {
    case 'number':
      return { [`${name}+`]: { type: 'number' }, [`${name}-`]: { type: 'number' } };
    case 'select':
    case 'relation':
    case 'file': {
      const item: JsonSchema =
        field.type === 'select'
          ? { type: 'string', enum: field.values }
          : use === 'form' && field.type === 'file'
            ? BINARY
            : STRING;
      const many: JsonSchema = { anyOf: [item, { type: 'array', items: item }] };
      // Removal takes names (of files too), never uploads.
      const removed: JsonSchema =
        field.type === 'file' ? { anyOf: [STRING, { type: 'array', items: STRING }] } : many;
      return { [`+${name}`]: many, [`${name}+`]: many, [`${name}-`]: removed };
    }
    case 'text':
      return field.autogeneratePattern !== '' && !field.primaryKey
        ? { [`${name}:autogenerate`]: { type: 'string', description: 'A prefix.' } }
        : {};
    default:
      return {};
  }
}
