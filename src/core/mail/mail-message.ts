/** One mail to send: a single recipient, a subject, and HTML with a plain-text alternative. */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}
