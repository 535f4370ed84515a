import type PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAccount,
  expectNoMoreMail,
  sdkFailure,
  startMailWorld,
  waitForMail,
  type MailWorld,
} from '../helpers/account-mail.js';

/** An SDK client that sends `userAgent` with every request. */
function clientWithAgent(w: MailWorld, userAgent: string): PocketBase {
  const pb = w.client();
  pb.beforeSend = (url, options) => {
    options.headers = { ...options.headers, 'User-Agent': userAgent };
    return { url, options };
  };
  return pb;
}

describe('login origins and the new-location alert (API.md §3.1, §3.4)', () => {
  let w: MailWorld;

  beforeAll(async () => {
    w = await startMailWorld();
  });
  afterAll(async () => {
    await w.close();
  });

  const origins = (id: string) =>
    w.live.app.db.db.selectFrom('_authOrigins').selectAll().where('recordRef', '=', id).execute();

  it('records origins, alerts on a new one (not the first), and shows them to the owner only', async () => {
    const id = await createAccount(w, 'vera@example.com', 'password-123');
    const count = w.sink.received.length;
    const laptop = clientWithAgent(w, 'Laptop/1.0');
    await laptop.collection('users').authWithPassword('vera@example.com', 'password-123');
    await laptop.collection('users').authWithPassword('vera@example.com', 'password-123');
    await expectNoMoreMail(w.sink, count);
    expect(await origins(id)).toHaveLength(1);

    const phone = clientWithAgent(w, 'Phone/2.0');
    await phone.collection('users').authWithPassword('vera@example.com', 'password-123');
    const mail = await waitForMail(w.sink, count + 1);
    expect(mail.envelopeTo).toEqual(['vera@example.com']);
    expect(mail.parsed.subject).toBe('Login from a new location');
    expect(String(mail.parsed.html)).toContain('Basalt');
    expect(await origins(id)).toHaveLength(2);

    // The owner lists and deletes its origins through the records API; others see none.
    const own = await phone
      .collection('_authOrigins')
      .getFullList<{ id: string; recordRef: string }>();
    expect(own.map((o) => o.recordRef)).toEqual([id, id]);
    const otherId = await createAccount(w, 'walt@example.com', 'password-123');
    const other = w.client();
    await other.collection('users').authWithPassword('walt@example.com', 'password-123');
    const theirs = await other.collection('_authOrigins').getFullList<{ recordRef: string }>();
    expect(theirs.map((o) => o.recordRef)).toEqual([otherId]);
    const first = own[0];
    if (!first) throw new Error('no origin');
    expect((await sdkFailure(other.collection('_authOrigins').delete(first.id))).status).toBe(404);
    await phone.collection('_authOrigins').delete(first.id);
    expect(await origins(id)).toHaveLength(1);
    expect((await w.guest.get('/api/collections/_authOrigins/records')).body.items).toEqual([]);
  });

  it('records nothing and sends nothing with authAlert disabled', async () => {
    await w.admin.collections.update('members', { authAlert: { enabled: false } });
    const id = await createAccount(w, 'xena@example.com', 'password-123', 'members');
    const count = w.sink.received.length;
    await clientWithAgent(w, 'A/1')
      .collection('members')
      .authWithPassword('xena@example.com', 'password-123');
    await clientWithAgent(w, 'B/1')
      .collection('members')
      .authWithPassword('xena@example.com', 'password-123');
    await expectNoMoreMail(w.sink, count);
    expect(await origins(id)).toHaveLength(0);
  });

  it('does not alert on impersonation or refresh', async () => {
    const id = await createAccount(w, 'yara@example.com', 'password-123');
    const pb = clientWithAgent(w, 'Tablet/3.0');
    await pb.collection('users').authWithPassword('yara@example.com', 'password-123');
    const count = w.sink.received.length;
    await w.admin.collection('users').impersonate(id, 60);
    await clientWithAgent(w, 'Other/9')
      .collection('users')
      .authRefresh({
        headers: { Authorization: pb.authStore.token },
      });
    await expectNoMoreMail(w.sink, count);
    expect(await origins(id)).toHaveLength(1);
  });
});
