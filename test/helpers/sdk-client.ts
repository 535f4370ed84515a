import PocketBase from 'pocketbase';
import { createSuperuser } from '../../src/core/auth/superuser-admin.js';
import type { LiveServer } from './live-server.js';

/** A pocketbase SDK client of the live server, without auto-cancellation. */
export function sdkClient(live: LiveServer): PocketBase {
  const pb = new PocketBase(live.url);
  pb.autoCancellation(false);
  return pb;
}

/** Creates the superuser root@example.com and returns an SDK client signed in as it. */
export async function sdkSuperuser(live: LiveServer): Promise<PocketBase> {
  await createSuperuser(live.app, 'root@example.com', 'root-password-1');
  const pb = sdkClient(live);
  await pb.collection('_superusers').authWithPassword('root@example.com', 'root-password-1');
  return pb;
}
