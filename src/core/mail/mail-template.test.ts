import { describe, expect, it } from 'vitest';
import { escapeHtml, renderTemplate } from './mail-template.js';

const values = {
  appName: 'A&B <App>',
  appURL: 'https://x.example.com/',
  token: 'tok"en',
  otp: '0123',
  record: { email: '<b>@example.com', n: 5, flag: true, obj: { a: 1 } },
};

describe('renderTemplate', () => {
  it('escapes every placeholder value in the body, not in the subject', () => {
    const mail = renderTemplate(
      {
        subject: '{APP_NAME}: {OTP}\r\nBcc: x@example.com',
        body: '<a href="{APP_URL}/t/{TOKEN}">{APP_NAME}</a> {RECORD:email} {RECORD:n} {RECORD:flag} [{RECORD:obj}] [{RECORD:missing}] {OTHER}',
      },
      values,
    );
    expect(mail.subject).toBe('A&B <App>: 0123 Bcc: x@example.com');
    expect(mail.html).toBe(
      '<a href="https://x.example.com/t/tok&quot;en">A&amp;B &lt;App&gt;</a> &lt;b&gt;@example.com 5 true [] [] {OTHER}',
    );
    expect(mail.text).toBe(
      'A&B <App> ( https://x.example.com/t/tok"en ) <b>@example.com 5 true [] [] {OTHER}',
    );
  });

  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`&<>"'x`)).toBe('&amp;&lt;&gt;&quot;&#39;x');
  });
});
