import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { simpleParser } from 'mailparser';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api-client.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';

const SMTP_USER = 'mailer@example.com';
const SMTP_PASS = 'smtp-Pa55-secret-value';

describe('POST /api/settings/test/email', () => {
  let t: TestApp;
  let api: ApiClient;
  let sink: SmtpSink;
  const logLines: string[] = [];

  beforeEach(async () => {
    logLines.length = 0;
    const sinkStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    t = await createTestApp({ logger: pino({ level: 'info' }, sinkStream) });
    api = new ApiClient(t.server, await superuserToken(t));
    sink = await startSmtpSink(SMTP_USER, SMTP_PASS);
  });
  afterEach(async () => {
    await sink.close();
    await t.close();
  });

  async function useSmtp(overrides: Record<string, unknown> = {}): Promise<void> {
    const res = await api.patch('/api/settings', {
      meta: {
        appName: 'Tom & <Jerry>',
        appURL: 'https://app.example.com/',
        senderName: 'Basalt Support',
        senderAddress: 'support@app.example.com',
      },
      smtp: {
        enabled: true,
        host: '127.0.0.1',
        port: sink.port,
        username: SMTP_USER,
        password: SMTP_PASS,
        authMethod: 'PLAIN',
        tls: false,
        localName: 'basalt.test',
        ...overrides,
      },
    });
    expect(res.status).toBe(200);
  }

  it('sends through the configured SMTP server, placeholders filled and escaped', async () => {
    await useSmtp();
    const res = await api.post('/api/settings/test/email', {
      email: 'someone@example.com',
      template: 'verification',
    });
    expect(res.status).toBe(204);
    expect(sink.received).toHaveLength(1);
    const mail = sink.received[0]!;
    expect(mail.authMethod).toBe('PLAIN');
    expect(mail.heloName).toBe('basalt.test');
    expect(mail.envelopeTo).toEqual(['someone@example.com']);
    expect(mail.parsed.from?.value).toEqual([
      { name: 'Basalt Support', address: 'support@app.example.com' },
    ]);
    expect(mail.parsed.to).toMatchObject({ value: [{ address: 'someone@example.com' }] });
    expect(mail.parsed.subject).toBe('Verify your Tom & <Jerry> email');
    expect(mail.parsed.messageId).toMatch(/^<.+@.+>$/);
    const html = String(mail.parsed.html);
    expect(html).toContain('Thank you for joining us at Tom &amp; &lt;Jerry&gt;.');
    expect(html).not.toContain('<Jerry>');
    expect(html).not.toMatch(/\{[A-Z_]+\}/);
    const link = /href="(https:\/\/app\.example\.com\/_\/#\/auth\/confirm-verification\/\w+)"/.exec(
      html,
    );
    expect(link).not.toBeNull();
    // The plain-text alternative carries the link too.
    expect(mail.parsed.text).toContain(link![1]);
    expect(mail.parsed.text).toContain('Tom & <Jerry> team');
    // The secret is never returned, and nothing was written as a file.
    const settings = await api.get('/api/settings');
    expect(settings.text).not.toContain(SMTP_PASS);
    expect(existsSync(join(t.dir, 'mail'))).toBe(false);
  });

  it("uses a collection's own template, with {RECORD:...} and {OTP}, over LOGIN auth", async () => {
    await useSmtp({ authMethod: 'LOGIN' });
    const patched = await api.patch('/api/collections/users', {
      otp: {
        emailTemplate: {
          subject: 'Code {OTP} for {RECORD:email}',
          body: '<p>Hi {RECORD:email}, code <b>{OTP}</b> at <a href="{APP_URL}/x?a=1&b=2">{APP_NAME}</a>; {UNKNOWN}</p>',
        },
      },
    });
    expect(patched.status).toBe(200);
    const roundTrip = await api.get('/api/collections/users');
    expect(roundTrip.body.otp).toMatchObject({
      emailTemplate: { subject: 'Code {OTP} for {RECORD:email}' },
    });
    const res = await api.post('/api/settings/test/email', {
      email: "o'neil@example.com",
      template: 'otp',
      collection: 'users',
    });
    expect(res.status).toBe(204);
    const mail = sink.received[0]!;
    expect(mail.authMethod).toBe('LOGIN');
    expect(mail.parsed.subject).toMatch(/^Code \d{8} for o'neil@example\.com$/);
    const otp = /Code (\d{8})/.exec(mail.parsed.subject ?? '')![1]!;
    expect(String(mail.parsed.html)).toBe(
      `<p>Hi o&#39;neil@example.com, code <b>${otp}</b> at <a href="https://app.example.com/x?a=1&b=2">Tom &amp; &lt;Jerry&gt;</a>; {UNKNOWN}</p>`,
    );
  });

  it('writes an .eml file under <dataDir>/mail/ and logs its path when SMTP is disabled', async () => {
    const res = await api.post('/api/settings/test/email', {
      email: 'dev@example.com',
      template: 'password-reset',
    });
    expect(res.status).toBe(204);
    const files = readdirSync(join(t.dir, 'mail'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.eml$/);
    const path = join(t.dir, 'mail', files[0]!);
    const raw = readFileSync(path, 'utf8');
    expect(raw).toContain('\r\n');
    expect(raw.replace(/\r\n/g, '')).not.toContain('\n');
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe('Reset your Basalt password');
    expect(parsed.to).toMatchObject({ value: [{ address: 'dev@example.com' }] });
    expect(parsed.from?.value).toEqual([{ name: 'Support', address: 'support@example.com' }]);
    expect(parsed.date).toBeInstanceOf(Date);
    expect(String(parsed.html)).toContain('/_/#/auth/confirm-password-reset/');
    await new Promise((resolve) => setImmediate(resolve));
    expect(logLines.join('')).toContain(`file://${path}`);
    expect(sink.received).toHaveLength(0);
  });

  it('rejects bad input with field errors and sends nothing', async () => {
    const cases: [unknown, Record<string, string>][] = [
      [{ email: 'a@example.com', template: 'welcome' }, { template: 'validation_invalid_value' }],
      [{ email: 'not-an-email', template: 'otp' }, { email: 'validation_is_email' }],
      [{ template: 'otp' }, { email: 'validation_required' }],
      [
        { email: 'a@example.com', template: 'otp', collection: 'posts' },
        { collection: 'validation_missing_collection' },
      ],
      [undefined, { email: 'validation_required', template: 'validation_required' }],
    ];
    for (const [payload, fields] of cases) {
      const res = await api.send('POST', '/api/settings/test/email', payload);
      expect(res.status, JSON.stringify(payload)).toBe(400);
      expect(res.body.status).toBe(400);
      expect(typeof res.body.message).toBe('string');
      const data = res.body.data as Record<string, { code: string }>;
      for (const [field, code] of Object.entries(fields)) expect(data[field]?.code).toBe(code);
    }
    const guest = await api.as(undefined).post('/api/settings/test/email', {
      email: 'a@example.com',
      template: 'otp',
    });
    expect(guest.status).toBe(401);
    expect(existsSync(join(t.dir, 'mail'))).toBe(false);
    expect(sink.received).toHaveLength(0);
  });

  it('refuses an SMTP auth method other than PLAIN or LOGIN', async () => {
    const res = await api.patch('/api/settings', { smtp: { authMethod: 'CRAM-MD5' } });
    expect(res.status).toBe(400);
    expect(res.body.data).toMatchObject({
      smtp: { authMethod: { code: 'validation_invalid_value' } },
    });
  });

  it('answers 400 with a clear message, and no secret, when the SMTP server refuses auth', async () => {
    await useSmtp({ password: 'wrong-password-value' });
    const res = await api.post('/api/settings/test/email', {
      email: 'someone@example.com',
      template: 'login-alert',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      status: 400,
      message: 'Failed to send the email: the SMTP server refused the credentials.',
      data: {},
    });
    await new Promise((resolve) => setImmediate(resolve));
    for (const text of [res.text, logLines.join('')]) {
      expect(text).not.toContain('wrong-password-value');
      expect(text).not.toContain(Buffer.from('wrong-password-value').toString('base64'));
    }
    expect(sink.received).toHaveLength(0);
    expect(existsSync(join(t.dir, 'mail'))).toBe(false);
  });
});
