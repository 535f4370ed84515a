import { describe, expect, it } from 'vitest';
import { snapshotDb } from '../helpers/db-snapshot.js';
import { useSuperuserApp } from '../helpers/superuser-app.js';

const ctx = useSuperuserApp();

/** A settings patch and the error it must get, at its path in `data`. */
const invalid: [string, Record<string, unknown>, string[], string][] = [
  ['an empty app name', { meta: { appName: '' } }, ['meta', 'appName'], 'validation_required'],
  ['an empty app URL', { meta: { appURL: '' } }, ['meta', 'appURL'], 'validation_required'],
  [
    'an app URL that is no URL',
    { meta: { appURL: 'not a url' } },
    ['meta', 'appURL'],
    'validation_is_url',
  ],
  [
    'an empty sender name',
    { meta: { senderName: '' } },
    ['meta', 'senderName'],
    'validation_required',
  ],
  [
    'a sender that is no email',
    { meta: { senderAddress: 'support' } },
    ['meta', 'senderAddress'],
    'validation_is_email',
  ],
  [
    'SMTP on without a host',
    { smtp: { enabled: true, host: '' } },
    ['smtp', 'host'],
    'validation_required',
  ],
  [
    'an SMTP host that is no host',
    { smtp: { host: 'mail host!' } },
    ['smtp', 'host'],
    'validation_is_host',
  ],
  [
    'an SMTP port out of range',
    { smtp: { port: 70000 } },
    ['smtp', 'port'],
    'validation_max_number_constraint',
  ],
  [
    'S3 on without a bucket',
    {
      s3: {
        enabled: true,
        endpoint: 'https://s3.example.com',
        region: 'r',
        accessKey: 'k',
        secret: 's',
      },
    },
    ['s3', 'bucket'],
    'validation_required',
  ],
  [
    'an S3 endpoint that is no URL',
    { s3: { endpoint: 'nowhere' } },
    ['s3', 'endpoint'],
    'validation_is_url',
  ],
  [
    'a bad backups cron',
    { backups: { cron: '61 * * * *' } },
    ['backups', 'cron'],
    'validation_invalid_cron',
  ],
  [
    'backups S3 on without its keys',
    { backups: { s3: { enabled: true } } },
    ['backups', 's3', 'endpoint'],
    'validation_required',
  ],
  [
    'a batch of no requests',
    { batch: { maxRequests: 0 } },
    ['batch', 'maxRequests'],
    'validation_min_number_constraint',
  ],
  [
    'a negative log retention',
    { logs: { maxDays: -1 } },
    ['logs', 'maxDays'],
    'validation_min_number_constraint',
  ],
  [
    'rate limits on without rules',
    { rateLimits: { enabled: true, rules: [] } },
    ['rateLimits', 'rules'],
    'validation_required',
  ],
  [
    'two rate limit rules for one label',
    {
      rateLimits: {
        rules: [
          { label: '/api/', duration: 1, maxRequests: 5 },
          { label: '/api/', duration: 2, maxRequests: 5 },
        ],
      },
    },
    ['rateLimits', 'rules', '1', 'label'],
    'validation_conflicting_rate_limit_rule',
  ],
  [
    'a superuser IP that is no IP',
    { superuserIPs: ['localhost'] },
    ['superuserIPs'],
    'validation_invalid_value',
  ],
  [
    'a proxy header that is no header',
    { trustedProxy: { headers: ['X Real IP'] } },
    ['trustedProxy', 'headers'],
    'validation_invalid_value',
  ],
];

describe('settings validation (issue 15, item 9)', () => {
  it.each(invalid)('refuses %s with 400 and stores nothing', async (_label, patch, path, code) => {
    const { t, su } = ctx;
    const before = await snapshotDb(t.app);
    const res = await su.patch('/api/settings', patch);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400 });
    expect(res.body.data).toHaveProperty([...path, 'code'], code);
    expect(await snapshotDb(t.app)).toEqual(before);
    expect((await su.get('/api/settings')).body).toMatchObject({ meta: { appName: 'Basalt' } });
  });

  it('accepts a complete, valid settings document', async () => {
    const res = await ctx.su.patch('/api/settings', {
      meta: {
        appName: 'Shop',
        appURL: 'https://shop.example.com',
        senderAddress: 'a@shop.example.com',
      },
      smtp: { enabled: true, host: '127.0.0.1', port: 2525, localName: 'mail.shop.example.com' },
      s3: {
        enabled: true,
        endpoint: 'http://127.0.0.1:9000',
        bucket: 'b',
        region: 'r',
        accessKey: 'k',
        secret: 's',
      },
      backups: { cron: '0 3 * * 1-5', cronMaxKeep: 2 },
      rateLimits: {
        enabled: true,
        rules: [
          { label: '/api/', audience: '@auth', duration: 10, maxRequests: 300 },
          { label: '/api/', audience: '@guest', duration: 10, maxRequests: 100 },
        ],
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ meta: { appName: 'Shop' }, backups: { cron: '0 3 * * 1-5' } });
  });
});
