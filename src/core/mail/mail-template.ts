import { toExcerpt } from '../../lib/json/index.js';
import type { EmailTemplate } from '../collection/collection-model.js';

/** The values of a template's placeholders. */
export interface TemplateValues {
  readonly appName: string;
  readonly appURL: string;
  readonly token?: string;
  readonly otp?: string;
  /** The record the mail is about, for `{RECORD:<field>}`. */
  readonly record: Readonly<Record<string, unknown>>;
}

/** A rendered mail: subject, HTML body and its plain-text alternative. */
export interface RenderedMail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

const PLACEHOLDER = /\{(APP_NAME|APP_URL|TOKEN|OTP|RECORD:[A-Za-z0-9_]+)\}/g;
const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

function fill(template: string, values: TemplateValues, escape: (s: string) => string): string {
  return template.replace(PLACEHOLDER, (_whole, name: string) => {
    if (name.startsWith('RECORD:')) return escape(scalarText(values.record[name.slice(7)]));
    const value = {
      APP_NAME: values.appName,
      APP_URL: values.appURL.replace(/\/+$/, ''),
      TOKEN: values.token ?? '',
      OTP: values.otp ?? '',
    }[name];
    return escape(value ?? '');
  });
}

/** The text of an HTML body, with each link's address after its label. */
function htmlToText(html: string): string {
  let href = '';
  const linked = html.replace(/<a\b[^>]*>|<\/a\s*>/gi, (tag) => {
    if (tag[1] === '/') return href === '' ? '' : ` ( ${href} ) `;
    href = /\bhref\s*=\s*"([^"]*)"/i.exec(tag)?.[1] ?? '';
    return '';
  });
  return toExcerpt(linked, Number.MAX_SAFE_INTEGER, false);
}

/**
 * Renders an email template. Placeholder values are HTML-escaped in the body; the subject is a
 * plain-text header, so values go in as they are, with line breaks removed.
 */
export function renderTemplate(template: EmailTemplate, values: TemplateValues): RenderedMail {
  const html = fill(template.body, values, escapeHtml);
  return {
    subject: fill(template.subject, values, (s) => s).replace(/[\r\n]+/g, ' '),
    html,
    text: htmlToText(html),
  };
}
