import type PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLiveServer, type LiveServer } from '../helpers/live-server.js';
import { sdkSuperuser } from '../helpers/sdk-client.js';
import { startS3Server, type S3Server } from '../helpers/s3-server.js';

/** Record files on S3 storage, end to end with the SDK and a real S3-compatible server. */
describe('record files on S3 (API.md §6)', () => {
  let s3: S3Server;
  let bucket: string;
  let live: LiveServer;
  let admin: PocketBase;

  beforeAll(async () => {
    s3 = await startS3Server();
    bucket = await s3.createBucket();
    live = await startLiveServer();
    admin = await sdkSuperuser(live);
    await admin.settings.update({ s3: s3.settings(bucket, { enabled: true }) });
  });
  afterAll(async () => {
    await live.close();
    await s3.close();
  });

  it('uploads to the bucket, serves ranges from it and removes the files with the record', async () => {
    const notes = await admin.collections.create({
      name: 'notes',
      fields: [{ name: 'file', type: 'file', maxSelect: 1 }],
    });
    const body = new FormData();
    body.append('file', new Blob([Buffer.from('stored in s3')]), 'note.txt');
    const record = await admin.collection('notes').create(body);
    const key = `${notes.id}/${record.id}/${record.file}`;
    expect(await s3.listKeys(bucket)).toContain(key);

    const url = admin.files.getURL(record, record.file as string);
    expect(await (await fetch(url)).text()).toBe('stored in s3');
    const part = await fetch(url, { headers: { Range: 'bytes=7-8' } });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe('in');

    const replaced = new FormData();
    replaced.append('file', new Blob([Buffer.from('v2')]), 'note.txt');
    const updated = await admin.collection('notes').update(record.id, replaced);
    const keys = await s3.listKeys(bucket);
    expect(keys).toContain(`${notes.id}/${record.id}/${updated.file}`);
    expect(keys).not.toContain(key);

    await admin.collection('notes').delete(record.id);
    expect((await s3.listKeys(bucket)).filter((k) => k.startsWith(`${notes.id}/`))).toEqual([]);
  });
});
