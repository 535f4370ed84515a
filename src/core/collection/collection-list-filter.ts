import { sql } from 'kysely';
import type { App } from '../app.js';
import { compileCondition } from '../rules/rule-compile.js';
import type { RuleRequest } from '../rules/rule-types.js';
import { blankCollection, idField } from './collection-defaults.js';
import type { BaseCollection } from './collection-model.js';

const common = { system: true, hidden: false, presentable: false } as const;
const text = (name: string) =>
  ({
    ...common,
    id: `meta_${name}`,
    name,
    type: 'text',
    min: 0,
    max: 0,
    pattern: '',
    autogeneratePattern: '',
    required: false,
    primaryKey: false,
    help: '',
  }) as const;

/**
 * The `_collections` metadata table seen as a collection, so that the filter compiler can
 * filter the collections list on `id, created, updated, name, system, type` (API.md §3.5).
 */
const METADATA: BaseCollection = {
  ...blankCollection(),
  id: '_collections',
  name: '_collections',
  type: 'base',
  system: true,
  fields: [
    idField(),
    text('name'),
    text('type'),
    { ...common, id: 'meta_system', name: 'system', type: 'bool', required: false, help: '' },
    {
      ...common,
      id: 'meta_created',
      name: 'created',
      type: 'autodate',
      onCreate: true,
      onUpdate: false,
    },
    {
      ...common,
      id: 'meta_updated',
      name: 'updated',
      type: 'autodate',
      onCreate: true,
      onUpdate: true,
    },
  ],
};

/** Ids of the collections that match a (superuser's) filter. */
export async function filterCollectionIds(
  app: App,
  filter: string,
  request: RuleRequest,
): Promise<Set<string>> {
  const condition = compileCondition(
    filter,
    {
      main: { collection: METADATA, alias: '_collections' },
      request,
      origin: 'clientFilter',
      superuser: true,
      findCollection: () => undefined,
    },
    app.db.dialect,
  );
  const rows = await app.db.db
    .selectFrom('_collections')
    .select(sql<string>`${sql.ref('_collections.id')}`.as('id'))
    .where(condition)
    .execute();
  return new Set(rows.map((r) => r.id));
}
