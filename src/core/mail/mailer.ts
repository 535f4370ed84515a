import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SendMailOptions } from 'nodemailer';
import { lazyModule } from '../../lib/lazy-module.js';
import { randomString, LOWER_ALPHANUMERIC } from '../../lib/security/random.js';
import type { App } from '../app.js';
import { MailerEvent } from '../hooks/app-events.js';
import type { MailMessage } from './mail-message.js';
import type { Settings } from '../settings/settings-model.js';
import { MailError } from './mail-error.js';

export type { MailMessage } from './mail-message.js';

const SMTP_TIMEOUT_MS = 15_000;

/** nodemailer, loaded with the first mail. */
const loadNodemailer = lazyModule(async () => (await import('nodemailer')).default);

/**
 * Sends mail through the configured SMTP server; when SMTP is disabled, writes each mail as an
 * RFC 5322 `.eml` file to `<dataDir>/mail/` and logs its path, for development.
 */
export class Mailer {
  constructor(private readonly ctx: App) {}

  /**
   * Sends `message` through the onMailerSend hooks (which may change or refuse it); throws a
   * MailError (with a safe message) when the transport fails.
   */
  async send(message: MailMessage): Promise<void> {
    const hook = this.ctx.hooks.onMailerSend;
    if (hook.length === 0) return this.deliver(message);
    await hook.trigger(new MailerEvent(this.ctx, message), (e) => this.deliver(e.message));
  }

  private async deliver(message: MailMessage): Promise<void> {
    const settings = this.ctx.settings.get();
    const mail = {
      from: { name: settings.meta.senderName, address: settings.meta.senderAddress },
      to: message.to,
      subject: message.subject,
      html: message.html,
      text: message.text,
    };
    if (settings.smtp.enabled) await this.sendSmtp(settings.smtp, mail);
    else await this.writeFile(mail);
  }

  private async sendSmtp(smtp: Settings['smtp'], mail: SendMailOptions): Promise<void> {
    const nodemailer = await loadNodemailer();
    const transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      // `tls` is implicit TLS (e.g. port 465); otherwise STARTTLS is used when offered.
      secure: smtp.tls,
      ...(smtp.username === '' ? {} : { auth: { user: smtp.username, pass: smtp.password } }),
      authMethod: smtp.authMethod,
      ...(smtp.localName === '' ? {} : { name: smtp.localName }),
      connectionTimeout: SMTP_TIMEOUT_MS,
      greetingTimeout: SMTP_TIMEOUT_MS,
      socketTimeout: SMTP_TIMEOUT_MS,
      logger: false,
    });
    try {
      await transport.sendMail(mail);
    } catch (error) {
      const failure = MailError.from(error);
      // Only the safe reason: the raw error can carry server replies and auth exchanges.
      this.ctx.logger.warn({ reason: failure.reason }, 'sending mail failed');
      throw failure;
    } finally {
      transport.close();
    }
  }

  private async writeFile(mail: SendMailOptions): Promise<void> {
    const nodemailer = await loadNodemailer();
    const transport = nodemailer.createTransport({
      streamTransport: true,
      buffer: true,
      newline: 'windows',
    });
    const info = await transport.sendMail(mail);
    const dir = join(this.ctx.config.dataDir, 'mail');
    await mkdir(dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const path = join(dir, `${stamp}-${randomString(6, LOWER_ALPHANUMERIC)}.eml`);
    await writeFile(path, info.message, { flag: 'wx' });
    this.ctx.logger.info({ path: `file://${path}` }, 'SMTP is disabled: mail written to a file');
  }
}
