import type PocketBase from 'pocketbase';
import { ClientResponseError } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLiveServer, type LiveServer } from '../helpers/live-server.js';
import { sdkClient, sdkSuperuser } from '../helpers/sdk-client.js';

// Record creates opted in to Idempotency-Key per collection, through the official SDK.

let live: LiveServer;
let admin: PocketBase;
let guest: PocketBase;

beforeAll(async () => {
  live = await startLiveServer();
  admin = await sdkSuperuser(live);
  guest = sdkClient(live);
  await admin.collections.create({
    name: 'payments',
    type: 'base',
    createRule: '',
    listRule: '',
    viewRule: '',
    idempotency: 'required',
    fields: [
      { name: 'title', type: 'text', required: true },
      { name: 'amount', type: 'number' },
      { name: 'receipt', type: 'file', maxSelect: 1, maxSize: 100000 },
    ],
  });
});
afterAll(async () => {
  await live.close();
});

async function count(title: string): Promise<number> {
  return (await admin.collection('payments').getFullList({ filter: `title = "${title}"` })).length;
}

async function failure(promise: Promise<unknown>): Promise<ClientResponseError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ClientResponseError) return error;
    throw error;
  }
  throw new Error('the request succeeded');
}

describe('Idempotency-Key on record creates (collection option)', () => {
  it('shows the option in the collection JSON only when set', async () => {
    const payments = await admin.collections.getOne('payments');
    expect(payments.idempotency).toBe('required');
    const users = await admin.collections.getOne('users');
    expect('idempotency' in users).toBe(false);
  });

  it('replays the create: one record, the same answer, the replay marked', async () => {
    const headers = { 'Idempotency-Key': 'pay-1' };
    const first = await guest
      .collection('payments')
      .create({ title: 'one', amount: 5 }, { headers });
    const again = await guest
      .collection('payments')
      .create({ amount: 5, title: 'one' }, { headers });
    expect(again).toEqual(first);
    expect(await count('one')).toBe(1);
    const raw = await fetch(`${live.url}/api/collections/payments/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'pay-1' },
      body: JSON.stringify({ title: 'one', amount: 5 }),
    });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('idempotent-replayed')).toBe('true');
    expect(await raw.json()).toEqual(first);
    // The replay carries the record's tag, as the first answer did.
    const view = await fetch(`${live.url}/api/collections/payments/records/${first.id}`);
    expect(view.headers.get('etag')).toMatch(/^"[\w-]+"$/);
    expect(raw.headers.get('etag')).toBe(view.headers.get('etag'));
  });

  it('ten concurrent creates with one key make one record', async () => {
    const headers = { 'Idempotency-Key': 'pay-ten' };
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        guest.collection('payments').create({ title: 'ten', amount: 1 }, { headers }),
      ),
    );
    const ids = new Set<string>();
    for (const r of results) {
      if (r.status === 'fulfilled') ids.add(r.value.id);
      else expect((r.reason as ClientResponseError).status).toBe(409);
    }
    expect(ids.size).toBe(1);
    expect(await count('ten')).toBe(1);
  });

  it('refuses a create without a key (required), another body (422), a bad key (400)', async () => {
    const missing = await failure(guest.collection('payments').create({ title: 'nokey' }));
    expect(missing.status).toBe(400);
    await guest
      .collection('payments')
      .create({ title: 'k422', amount: 1 }, { headers: { 'Idempotency-Key': 'pay-422' } });
    const other = await failure(
      guest
        .collection('payments')
        .create({ title: 'k422', amount: 2 }, { headers: { 'Idempotency-Key': 'pay-422' } }),
    );
    expect(other.status).toBe(422);
    const bad = await failure(
      guest.collection('payments').create({ title: 'bad' }, { headers: { 'Idempotency-Key': '' } }),
    );
    expect(bad.status).toBe(400);
    expect(await count('nokey')).toBe(0);
    expect(await count('k422')).toBe(1);
    expect(await count('bad')).toBe(0);
  });

  it('does not store a failed create: the same key runs again', async () => {
    const headers = { 'Idempotency-Key': 'pay-invalid' };
    const invalid = await failure(guest.collection('payments').create({ amount: 1 }, { headers }));
    expect(invalid.status).toBe(400);
    expect(invalid.response).toMatchObject({ data: { title: { code: 'validation_required' } } });
    // Another body with the same key is a new request, since nothing was stored.
    const ok = await guest
      .collection('payments')
      .create({ title: 'fixed', amount: 1 }, { headers });
    expect(ok.title).toBe('fixed');
  });

  it('hashes multipart bodies with their files', async () => {
    const form = (content: string) => {
      const data = new FormData();
      data.append('title', 'upload');
      data.append('receipt', new Blob([content], { type: 'text/plain' }), 'r.txt');
      return data;
    };
    const headers = { 'Idempotency-Key': 'pay-file' };
    const first = await guest.collection('payments').create(form('abc'), { headers });
    const again = await guest.collection('payments').create(form('abc'), { headers });
    expect(again.id).toBe(first.id);
    const other = await failure(guest.collection('payments').create(form('abd'), { headers }));
    expect(other.status).toBe(422);
    expect(await count('upload')).toBe(1);
  });

  it('validates the option, changes it, and keeps it through export and import', async () => {
    const bad = await failure(admin.collections.update('payments', { idempotency: 'always' }));
    expect(bad.status).toBe(400);
    expect(bad.response).toMatchObject({
      data: { idempotency: { code: 'validation_invalid_value' } },
    });
    const optional = await admin.collections.update('payments', { idempotency: 'optional' });
    expect(optional.idempotency).toBe('optional');
    await guest.collection('payments').create({ title: 'no key now' });
    expect(await count('no key now')).toBe(1);
    const exported = await admin.collections.getFullList();
    await admin.collections.import(exported, false);
    expect((await admin.collections.getOne('payments')).idempotency).toBe('optional');
    const cleared = await admin.collections.update('payments', { idempotency: null });
    expect('idempotency' in cleared).toBe(false);
    // Views have no creates.
    const view = await failure(
      admin.collections.create({
        name: 'payments_view',
        type: 'view',
        viewQuery: 'select id, title from payments',
        idempotency: 'optional',
      }),
    );
    expect(view.status).toBe(400);
    expect(view.response).toMatchObject({
      data: { idempotency: { code: 'validation_invalid_value' } },
    });
  });
});
