/** Safe descriptions of nodemailer's error codes: the raw errors may echo server replies. */
const REASONS: Readonly<Record<string, string>> = {
  EAUTH: 'the SMTP server refused the credentials',
  ECONNECTION: 'could not connect to the SMTP server',
  ETIMEDOUT: 'the SMTP server did not answer in time',
  ESOCKET: 'the connection to the SMTP server failed',
  ETLS: 'the TLS handshake with the SMTP server failed',
  EENVELOPE: 'the SMTP server rejected the sender or recipient',
  EMESSAGE: 'the SMTP server rejected the message',
  EPROTOCOL: 'the SMTP server answered unexpectedly',
  EDNS: 'the SMTP host name could not be resolved',
};

/**
 * A mail that could not be sent. Its message is safe to show and log: it never carries the
 * transport's raw error (which can echo the server's replies or the submitted credentials).
 */
export class MailError extends Error {
  constructor(readonly reason: string) {
    super(`Failed to send the email: ${reason}.`);
    this.name = 'MailError';
  }

  /** Wraps a transport error by its code only. */
  static from(error: unknown): MailError {
    const code =
      typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
    return new MailError(
      (typeof code === 'string' ? REASONS[code] : undefined) ?? 'the mail transport failed',
    );
  }
}
