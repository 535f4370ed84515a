import { App } from '../../src/core/app.js';
import type { CliSandbox } from './cli-sandbox.js';
import { createCollection } from '../../src/core/collection/collection-service.js';
import { everyFieldTypeCollection } from '../fixtures/collections.js';

/**
 * The schema the typegen suites generate types of: `everything` (every field type, the
 * `users` auth collection in its relations), `order_items` and `orderItems` (one PascalCase
 * name for two collections) and a view.
 */
export async function createTypegenSchema(app: App): Promise<void> {
  await createCollection(app, everyFieldTypeCollection('everything'));
  await createCollection(app, {
    name: 'order_items',
    type: 'base',
    fields: [
      { name: 'qty', type: 'number', required: true },
      { name: 'sku', type: 'text', autogeneratePattern: '[A-Z]{8}' },
      { name: 'second_choice', type: 'text' },
    ],
  });
  await createCollection(app, {
    name: 'orderItems',
    type: 'base',
    fields: [{ name: 'note', type: 'text' }],
  });
  await createCollection(app, {
    name: 'title_counts',
    type: 'view',
    viewQuery: 'SELECT id, title, views FROM everything',
    listRule: '',
  });
}

/** Creates the typegen schema in a CLI sandbox's database (its directory, or its server). */
export async function seedSchema(sandbox: CliSandbox): Promise<void> {
  const app = await App.open({ dataDir: sandbox.dir, databaseUrl: sandbox.url || undefined });
  try {
    await createTypegenSchema(app);
  } finally {
    await app.close();
  }
}
