import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type PocketBase from 'pocketbase';
import type { RecordModel } from 'pocketbase';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkFailure } from '../helpers/account-mail.js';
import { startLiveServer, type LiveServer } from '../helpers/live-server.js';
import { sdkClient, sdkSuperuser } from '../helpers/sdk-client.js';

async function png(width: number, height: number): Promise<Buffer> {
  return sharp({
    create: { width, height, channels: 3, background: { r: 200, g: 30, b: 30 } },
  })
    .png()
    .toBuffer();
}

/**
 * GET with the body read at once: an unread body keeps its connection busy, and the server's
 * close would wait for it.
 */
async function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(url, { headers });
  const body = await res.arrayBuffer();
  const empty = res.status === 304 || res.status === 204;
  return new Response(empty ? null : body, { status: res.status, headers: res.headers });
}

/** A `docs` record as the tests read it. */
type Doc = RecordModel & { title: string; attachment: string; images: string[] };

function form(
  fields: Record<string, string | string[]>,
  files: [string, Buffer, string, string?][],
) {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) data.append(key, v);
  }
  for (const [key, content, name, type] of files) {
    data.append(key, new Blob([content], { type: type ?? 'application/octet-stream' }), name);
  }
  return data;
}

describe('files: uploads, downloads, thumbs and protected files (API.md §1.3, §6)', () => {
  let live: LiveServer;
  let admin: PocketBase;
  let docsId: string;
  let red: Buffer;

  beforeAll(async () => {
    live = await startLiveServer();
    admin = await sdkSuperuser(live);
    const docs = await admin.collections.create({
      name: 'docs',
      listRule: '',
      viewRule: '',
      createRule: '',
      updateRule: '',
      deleteRule: '',
      fields: [
        { name: 'title', type: 'text' },
        { name: 'attachment', type: 'file', maxSelect: 1, maxSize: 20000 },
        {
          name: 'images',
          type: 'file',
          maxSelect: 3,
          maxSize: 5_000_000,
          mimeTypes: ['image/png', 'image/jpeg'],
          thumbs: ['50x50', '0x20'],
        },
      ],
    });
    docsId = docs.id;
    red = await png(200, 100);
  });
  afterAll(async () => {
    await live.close();
  });

  const stored = (recordId: string, name: string) =>
    live.app.fileStorage().stat(`${docsId}/${recordId}/${name}`);
  const recordDir = (recordId: string) => join(live.dir, 'storage', docsId, recordId);

  it('uploads through the SDK, stores sanitized names and serves the bytes with safe headers', async () => {
    const record = await admin.collection('docs').create<Doc>(
      form({ title: 'a' }, [
        ['attachment', Buffer.from('hello, files'), '../../My Report\u202eexe.TXT'],
        ['images', red, 'Red Square.PNG', 'image/png'],
      ]),
    );
    expect(record.attachment).toMatch(/^my_report_exe_[a-z0-9]{10}\.txt$/);
    expect(record.images).toHaveLength(1);
    expect(record.images[0]).toMatch(/^red_square_[a-z0-9]{10}\.png$/);
    expect(await stored(record.id, record.attachment)).toMatchObject({ size: 12 });

    const res = await get(admin.files.getURL(record, record.attachment));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello, files');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename=${record.attachment}`,
    );
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; media-src 'self'; style-src 'unsafe-inline'; sandbox",
    );
    expect(res.headers.get('cache-control')).toBe('max-age=2592000, stale-while-revalidate=86400');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBeNull();

    const image = await get(admin.files.getURL(record, record.images[0] as string));
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('content-disposition')).toMatch(/^inline; /);
    const forced = await get(
      admin.files.getURL(record, record.images[0] as string, { download: true }),
    );
    expect(forced.headers.get('content-disposition')).toMatch(/^attachment; /);
    expect(Buffer.from(await forced.arrayBuffer()).equals(red)).toBe(true);
  });

  it("serves a view's files and thumbs from the record its column copies", async () => {
    const record = await admin.collection('docs').create<Doc>(
      form({ title: 'shown' }, [
        ['attachment', Buffer.from('through a view'), 'view.txt'],
        ['images', red, 'red.png', 'image/png'],
      ]),
    );
    await admin.collections.create({
      name: 'doc_files',
      type: 'view',
      listRule: '',
      viewRule: "title = 'shown'",
      viewQuery: 'SELECT d.id, d.title, d.attachment AS file, d.images FROM docs d',
    });
    const view = await admin.collection('doc_files').getOne(record.id);
    expect(view).toMatchObject({ file: record.attachment, images: record.images });
    const res = await get(admin.files.getURL(view, String(view.file)));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('through a view');
    const images = view.images as string[];
    const thumb = await get(admin.files.getURL(view, images[0] ?? '', { thumb: '50x50' }));
    expect(thumb.status).toBe(200);
    expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).width).toBe(50);
    const unknown = await get(admin.files.getURL(view, 'other.txt'));
    expect(unknown.status).toBe(404);
    await admin.collections.delete('doc_files');
  });

  it('serves ranges, HEAD and conditional requests', async () => {
    const record = await admin
      .collection('docs')
      .create<Doc>(form({}, [['attachment', Buffer.from('0123456789'), 'digits.txt']]));
    const url = admin.files.getURL(record, record.attachment);
    const part = await get(url, { Range: 'bytes=2-5' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 2-5/10');
    expect(await part.text()).toBe('2345');
    const suffix = await get(url, { Range: 'bytes=-3' });
    expect(await suffix.text()).toBe('789');
    const beyond = await get(url, { Range: 'bytes=10-' });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe('bytes */10');
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('10');
    expect(await head.text()).toBe('');
    const etag = head.headers.get('etag') ?? '';
    expect((await get(url, { 'If-None-Match': etag })).status).toBe(304);
    const stale = await get(url, { Range: 'bytes=0-0', 'If-Range': 'W/"other"' });
    expect(stale.status).toBe(200);
    expect(await stale.text()).toBe('0123456789');
  });

  it('replaces, appends, prepends and removes files, deleting dropped ones after commit', async () => {
    const a = await png(10, 10);
    const b = await png(11, 11);
    const c = await png(12, 12);
    const record = await admin.collection('docs').create<Doc>(form({}, [['images', a, 'a.png']]));
    const [first] = record.images;
    if (!first) throw new Error('no file');
    const appended = await admin
      .collection('docs')
      .update<Doc>(record.id, form({}, [['images+', b, 'b.png']]));
    expect(appended.images).toHaveLength(2);
    expect(appended.images[0]).toBe(first);
    const prepended = await admin
      .collection('docs')
      .update<Doc>(record.id, form({}, [['+images', c, 'c.png']]));
    expect(prepended.images).toHaveLength(3);
    expect(prepended.images[1]).toBe(first);
    expect(prepended.images[2]).toBe(appended.images[1]);

    // A plain-key upload keeps only the existing names submitted with it.
    const replaced = await admin
      .collection('docs')
      .update<Doc>(record.id, form({ images: first }, [['images', b, 'b2.png']]));
    expect(replaced.images).toHaveLength(2);
    expect(replaced.images[0]).toBe(first);
    for (const name of prepended.images) {
      if (name !== first) expect(await stored(record.id, name)).toBeUndefined();
    }
    const removed = await admin.collection('docs').update<Doc>(record.id, { 'images-': first });
    expect(removed.images).toEqual([replaced.images[1]]);
    expect(await stored(record.id, first)).toBeUndefined();
    const cleared = await admin.collection('docs').update<Doc>(record.id, { images: [] });
    expect(cleared.images).toEqual([]);
    expect(existsSync(recordDir(record.id))).toBe(false);

    // Too many files for maxSelect.
    const many = await sdkFailure(
      admin.collection('docs').update<Doc>(
        record.id,
        form({}, [
          ['images', a, '1.png'],
          ['images', b, '2.png'],
          ['images', c, '3.png'],
          ['images', a, '4.png'],
        ]),
      ),
    );
    expect(many.data).toMatchObject({ images: { code: 'validation_too_many_values' } });
    expect(existsSync(recordDir(record.id))).toBe(false);
  });

  it('refuses oversized, spoofed and bomb uploads and unknown names, storing nothing', async () => {
    const before = (await admin.collection('docs').getFullList()).length;
    const storageDir = join(live.dir, 'storage', docsId);
    const foldersBefore = readdirSync(storageDir).sort();
    const cases: [FormData | Record<string, unknown>, Record<string, unknown>][] = [
      [
        form({}, [['attachment', Buffer.alloc(20001, 1), 'big.bin']]),
        { attachment: { code: 'validation_file_size_limit' } },
      ],
      [
        form({}, [['images', Buffer.from('not an image at all'), 'fake.png', 'image/png']]),
        { images: { code: 'validation_invalid_mime_type' } },
      ],
      [
        form({}, [
          [
            'images',
            Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
            'x.png',
            'image/png',
          ],
        ]),
        { images: { code: 'validation_invalid_mime_type' } },
      ],
      [
        form({}, [['images', await png(10000, 10000), 'bomb.png', 'image/png']]),
        { images: { code: 'validation_invalid_file' } },
      ],
      [
        { attachment: 'someone_elses_file_abcdefghij.txt' },
        { attachment: { code: 'validation_invalid_file' } },
      ],
    ];
    for (const [body, data] of cases) {
      const failed = await sdkFailure(admin.collection('docs').create<Doc>(body));
      expect(failed.status).toBe(400);
      expect(failed.data).toMatchObject(data);
    }
    // Far over its field's limit: counted while it streams but not kept, then refused by its
    // size as PocketBase refuses it.
    const huge = await sdkFailure(
      admin
        .collection('docs')
        .create<Doc>(form({}, [['attachment', Buffer.alloc(6 * 1024 * 1024), 'h.bin']])),
    );
    expect(huge.status).toBe(400);
    expect(huge.data).toMatchObject({ attachment: { code: 'validation_file_size_limit' } });
    expect((await admin.collection('docs').getFullList()).length).toBe(before);
    expect(readdirSync(storageDir).sort()).toEqual(foldersBefore);
  });

  it('answers 404 for traversal, foreign and unknown names', async () => {
    const record = await admin
      .collection('docs')
      .create<Doc>(form({}, [['attachment', Buffer.from('x'), 'x.txt']]));
    const base = `${live.url}/api/files/docs/${record.id}`;
    for (const path of [
      `${base}/..%2F..%2Fdata.db`,
      `${base}/%2e%2e`,
      `${live.url}/api/files/docs/..%2F${record.id}/${record.attachment}`,
      `${base}/other_file_abcdefghij.txt`,
      `${live.url}/api/files/nope/${record.id}/${record.attachment}`,
      `${live.url}/api/files/docs/nosuchrecord123/${record.attachment}`,
      `${base}/${'a'.repeat(300)}`,
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toMatchObject({ status: 404 });
    }
    const long = await get(`${base}/${'a'.repeat(600)}`);
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({ status: 400, data: {} });
  });

  it('makes allowed thumbs on demand and serves the original otherwise', async () => {
    const record = await admin.collection('docs').create<Doc>(
      form({}, [
        ['images', red, 'red.png', 'image/png'],
        ['attachment', Buffer.from('t'), 't.txt'],
      ]),
    );
    const name = record.images[0] as string;
    const size = async (thumb: string) => {
      const res = await get(admin.files.getURL(record, name, { thumb }));
      expect(res.status).toBe(200);
      const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
      return `${meta.width}x${meta.height}`;
    };
    expect(await size('100x100')).toBe('100x100');
    expect(await size('50x50')).toBe('50x50');
    expect(await size('0x20')).toBe('40x20');
    expect(await size('77x77')).toBe('200x100');
    expect(await size('garbage')).toBe('200x100');
    expect(
      await live.app.fileStorage().stat(`${docsId}/${record.id}/thumbs_${name}/50x50_${name}`),
    ).toBeDefined();
    const text = await get(admin.files.getURL(record, record.attachment, { thumb: '100x100' }));
    expect(await text.text()).toBe('t');
    await admin.collection('docs').update<Doc>(record.id, { images: [] });
    expect(existsSync(join(recordDir(record.id), `thumbs_${name}`))).toBe(false);
  });

  it('removes a record’s files after its delete commits', async () => {
    const record = await admin.collection('docs').create<Doc>(form({}, [['images', red, 'r.png']]));
    await get(admin.files.getURL(record, record.images[0] as string, { thumb: '100x100' }));
    await admin.collection('docs').delete(record.id);
    expect(existsSync(recordDir(record.id))).toBe(false);
  });

  it('writes nothing for a failed create and for a rolled-back batch', async () => {
    await admin.settings.update({ batch: { enabled: true } });
    const before = readdirSync(join(live.dir, 'storage', docsId)).length;
    const batch = admin.createBatch();
    batch
      .collection('docs')
      .create(form({ title: 'ok' }, [['attachment', Buffer.from('kept?'), 'k.txt']]));
    batch.collection('docs').update('nosuchrecord123', { title: 'x' });
    const failed = await sdkFailure(batch.send());
    expect(failed.status).toBe(400);
    expect(readdirSync(join(live.dir, 'storage', docsId)).length).toBe(before);

    const ok = admin.createBatch();
    ok.collection('docs').create(
      form({ title: 'ok' }, [['attachment', Buffer.from('in batch'), 'b.txt']]),
    );
    const [result] = await ok.send();
    const created = result?.body as RecordModel;
    const res = await get(admin.files.getURL(created, created.attachment as string));
    expect(await res.text()).toBe('in batch');
  });
});

describe('protected files (API.md §6)', () => {
  let live: LiveServer;
  let admin: PocketBase;

  beforeAll(async () => {
    live = await startLiveServer();
    admin = await sdkSuperuser(live);
    const users = await admin.collections.getOne('users');
    await admin.collections.create({
      name: 'vault',
      listRule: 'owner = @request.auth.id',
      viewRule: 'owner = @request.auth.id',
      createRule: '@request.auth.id != ""',
      fields: [
        { name: 'owner', type: 'relation', collectionId: users.id, maxSelect: 1 },
        { name: 'doc', type: 'file', maxSelect: 1, protected: true },
      ],
    });
  });
  afterAll(async () => {
    await live.close();
  });

  async function user(email: string): Promise<PocketBase> {
    await admin
      .collection('users')
      .create({ email, password: 'password-123', passwordConfirm: 'password-123' });
    const pb = sdkClient(live);
    await pb.collection('users').authWithPassword(email, 'password-123');
    return pb;
  }

  it('serves a protected file only with a file token that passes the view rule', async () => {
    const owner = await user('owner@example.com');
    const other = await user('other@example.com');
    const record = await owner
      .collection('vault')
      .create(
        form({ owner: owner.authStore.record?.id ?? '' }, [
          ['doc', Buffer.from('secret'), 's.txt'],
        ]),
      );
    const name = record.doc as string;
    expect((await get(owner.files.getURL(record, name))).status).toBe(404);
    // The Authorization header does not count, only ?token=.
    const withHeader = await get(owner.files.getURL(record, name), {
      Authorization: owner.authStore.token,
    });
    expect(withHeader.status).toBe(404);
    const token = await owner.files.getToken();
    const ok = await get(owner.files.getURL(record, name, { token }));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('secret');
    expect(ok.headers.get('cache-control')).toMatch(/^private/);
    const foreign = await get(
      owner.files.getURL(record, name, { token: await other.files.getToken() }),
    );
    expect(foreign.status).toBe(404);
    const superuser = await get(
      owner.files.getURL(record, name, { token: await admin.files.getToken() }),
    );
    expect(superuser.status).toBe(200);
    // An auth token is not a file token.
    const wrongType = await get(owner.files.getURL(record, name, { token: owner.authStore.token }));
    expect(wrongType.status).toBe(404);
    // A file token is no auth token: used as one, the request is a guest's.
    const asAuth = await fetch(`${live.url}/api/collections/users/auth-refresh`, {
      method: 'POST',
      headers: { Authorization: token },
    });
    expect(asAuth.status).toBe(401);
    await asAuth.arrayBuffer();
    const guestToken = await sdkFailure(sdkClient(live).files.getToken());
    expect(guestToken.status).toBe(401);
  });
});

describe('files leave storage with their field and collection', () => {
  let live: LiveServer;
  let admin: PocketBase;

  beforeAll(async () => {
    live = await startLiveServer();
    admin = await sdkSuperuser(live);
  });
  afterAll(async () => {
    await live.close();
  });

  it('deletes a dropped file field’s files, then the collection’s folder', async () => {
    const albums = await admin.collections.create({
      name: 'albums',
      fields: [
        { name: 'cover', type: 'file', maxSelect: 1 },
        { name: 'notes', type: 'file', maxSelect: 2 },
      ],
    });
    const record = await admin.collection('albums').create(
      form({}, [
        ['cover', Buffer.from('c'), 'c.txt'],
        ['notes', Buffer.from('n1'), 'n1.txt'],
        ['notes', Buffer.from('n2'), 'n2.txt'],
      ]),
    );
    const folder = join(live.dir, 'storage', albums.id, record.id);
    // Each object has a `.attrs` sidecar (its content type), as PocketBase's local storage.
    const objects = () => readdirSync(folder).filter((n) => !n.endsWith('.attrs'));
    expect(objects()).toHaveLength(3);
    await admin.collections.update('albums', {
      fields: albums.fields.filter((f: { name: string }) => f.name !== 'notes'),
    });
    expect(objects()).toEqual([record.cover]);
    await admin.collections.delete('albums');
    expect(existsSync(join(live.dir, 'storage', albums.id))).toBe(false);
  });

  it('deletes the files of a file field an import drops', async () => {
    const shelf = await admin.collections.create({
      name: 'shelf',
      fields: [
        { name: 'title', type: 'text' },
        { name: 'scan', type: 'file', maxSelect: 1 },
      ],
    });
    const record = await admin
      .collection('shelf')
      .create(form({ title: 't' }, [['scan', Buffer.from('s'), 's.txt']]));
    const folder = join(live.dir, 'storage', shelf.id, record.id);
    expect(existsSync(folder)).toBe(true);
    const kept = shelf.fields.filter((f: { name: string }) => f.name !== 'scan');
    await admin.collections.import([{ ...shelf, fields: kept }], false);
    expect(existsSync(folder)).toBe(false);
    expect((await admin.collection('shelf').getOne(record.id)).title).toBe('t');
  });
});
