import type PocketBase from 'pocketbase';
import { ClientResponseError } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLiveServer, type LiveServer } from '../helpers/live-server.js';
import { sdkSuperuser } from '../helpers/sdk-client.js';

// Optimistic concurrency through the unchanged `pocketbase` SDK: the ETag is read from the
// response in `afterSend`, and sent back with `{ headers: { 'If-Match': tag } }`.
let live: LiveServer;
let pb: PocketBase;
/** The ETag of the last response, as a client app would keep it. */
let lastEtag: string | null = null;

beforeAll(async () => {
  live = await startLiveServer();
  pb = await sdkSuperuser(live);
  pb.afterSend = (response, data: unknown) => {
    lastEtag = response.headers.get('etag');
    return data;
  };
  await pb.collections.create({
    name: 'docs',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'updated', type: 'autodate', onCreate: true, onUpdate: true },
    ],
  });
  await pb.settings.update({ batch: { enabled: true } });
});
afterAll(async () => {
  await live.close();
});

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    if (!(error instanceof ClientResponseError)) throw error;
    expect(error.response).toMatchObject({ status: error.status, data: {} });
    return error.status;
  }
}

describe('ETag and If-Match through the SDK', () => {
  it('reads the tag in afterSend and updates and deletes conditionally', async () => {
    const created = await pb.collection('docs').create({ title: 'v1' });
    const createTag = lastEtag;
    expect(createTag).toMatch(/^"[A-Za-z0-9_-]{24}"$/);
    await pb.collection('docs').getOne(created.id);
    expect(lastEtag).toBe(createTag);
    const tag = lastEtag ?? '';

    const updated = await pb
      .collection('docs')
      .update(created.id, { title: 'v2' }, { headers: { 'If-Match': tag } });
    expect(updated.title).toBe('v2');
    const newTag = lastEtag ?? '';
    expect(newTag).not.toBe(tag);

    // Another client still holding the first tag loses, and nothing changes.
    expect(
      await statusOf(
        pb
          .collection('docs')
          .update(created.id, { title: 'lost' }, { headers: { 'If-Match': tag } }),
      ),
    ).toBe(412);
    expect(
      await statusOf(pb.collection('docs').delete(created.id, { headers: { 'If-Match': tag } })),
    ).toBe(412);
    expect((await pb.collection('docs').getOne(created.id)).title).toBe('v2');

    await pb.collection('docs').delete(created.id, { headers: { 'If-Match': newTag } });
    expect(await statusOf(pb.collection('docs').getOne(created.id))).toBe(404);
  });

  it('sends If-Match per batch item', async () => {
    const created = await pb.collection('docs').create({ title: 'b1' });
    const stale = lastEtag ?? '';
    await pb.collection('docs').update(created.id, { title: 'b2' });
    const batch = pb.createBatch();
    batch.collection('docs').create({ title: 'not applied' });
    batch
      .collection('docs')
      .update(created.id, { title: 'b3' }, { headers: { 'If-Match': stale } });
    try {
      await batch.send();
      expect.unreachable('the batch should fail');
    } catch (error) {
      if (!(error instanceof ClientResponseError)) throw error;
      expect(error.status).toBe(400);
      expect(error.response).toMatchObject({
        data: { requests: { '1': { response: { status: 412 } } } },
      });
    }
    expect((await pb.collection('docs').getOne(created.id)).title).toBe('b2');
    expect(await pb.collection('docs').getFullList({ filter: 'title = "not applied"' })).toEqual(
      [],
    );
  });
});
