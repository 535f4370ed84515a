import type { Collection } from '../collection/collection-model.js';
import type { Field } from '../field/field-model.js';
import { fieldTs } from './field-ts-types.js';
import { propertyKey } from './type-names.js';

/** One property of a generated object type. */
export interface TsMember {
  readonly key: string;
  readonly type: string;
  readonly optional: boolean;
}

/** The members of one collection's generated types. */
export interface CollectionTs {
  /** The record as the API shows it (without collectionId/collectionName/expand). */
  readonly record: readonly TsMember[];
  /** What a hook's `e.record.get(name)` returns, by field name. */
  readonly values: readonly TsMember[];
  /** A create body; undefined for a view collection (no writes). */
  readonly create: readonly TsMember[] | undefined;
  /** An update body; undefined for a view collection. */
  readonly update: readonly TsMember[] | undefined;
}

function member(name: string, type: string, optional = false): TsMember {
  return { key: propertyKey(name), type, optional };
}

/** True for a field a create body must hold. */
function requiredOnCreate(field: Field): boolean {
  if (!('required' in field) || !field.required) return false;
  // Filled in when absent: the id and other texts with an autogenerate pattern.
  if (field.type === 'text' && (field.primaryKey || field.autogeneratePattern !== '')) return false;
  return true;
}

/** The auth system fields that are not plain values: `password` and `tokenKey`. */
function authSpecial(collection: Collection, field: Field): 'password' | 'tokenKey' | undefined {
  if (collection.type !== 'auth' || !field.system) return undefined;
  if (field.name === 'password' || field.name === 'tokenKey') return field.name;
  return undefined;
}

/** The API JSON member of a field, if the API outputs it (never an auth password or tokenKey). */
function recordMember(collection: Collection, field: Field): TsMember | undefined {
  const json = fieldTs(field).json;
  if (json === undefined || authSpecial(collection, field)) return undefined;
  // Hidden fields reach superusers only; an auth email only its owner, managers and superusers.
  const sometimes = field.hidden || (collection.type === 'auth' && field.name === 'email');
  return member(field.name, json, sometimes);
}

/** The create members of a field (an auth password: `password` and `passwordConfirm`). */
function createMembers(collection: Collection, field: Field): TsMember[] {
  const special = authSpecial(collection, field);
  if (special === 'tokenKey') return [];
  if (special === 'password') {
    return [member('password', 'string'), member('passwordConfirm', 'string')];
  }
  const input = fieldTs(field).input;
  if (input === undefined) return [];
  return [member(field.name, input, !requiredOnCreate(field))];
}

/** The update members of a field: the field and its modifiers, all optional. */
function updateMembers(collection: Collection, field: Field): TsMember[] {
  const special = authSpecial(collection, field);
  if (special === 'tokenKey') return [];
  if (special === 'password') {
    return ['password', 'passwordConfirm', 'oldPassword'].map((n) => member(n, 'string', true));
  }
  // The primary key cannot change.
  if (field.type === 'text' && field.primaryKey) return [];
  const ts = fieldTs(field);
  if (ts.input === undefined) return [];
  return [
    member(field.name, ts.input, true),
    ...ts.modifiers.map(([key, type]) => member(key, type, true)),
  ];
}

/** The members of a collection's generated types, in the order of its fields. */
export function collectionTs(collection: Collection): CollectionTs {
  const fields = collection.fields;
  const writable = collection.type !== 'view';
  return {
    record: fields.flatMap((f) => recordMember(collection, f) ?? []),
    values: fields.map((f) => member(f.name, fieldTs(f).value)),
    create: writable ? fields.flatMap((f) => createMembers(collection, f)) : undefined,
    update: writable ? fields.flatMap((f) => updateMembers(collection, f)) : undefined,
  };
}
