import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One message the sink accepted, with the session facts the tests check. */
export interface ReceivedMail {
  readonly raw: string;
  readonly parsed: ParsedMail;
  readonly authMethod: string | undefined;
  readonly heloName: string;
  readonly envelopeTo: string[];
}

/** A real SMTP server on a free loopback port that requires `user`/`pass` and keeps every mail. */
export interface SmtpSink {
  readonly port: number;
  readonly received: ReceivedMail[];
  close(): Promise<void>;
}

/** Starts an SMTP server (plain connection, STARTTLS disabled) that accepts one login. */
export async function startSmtpSink(user: string, pass: string): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      // The session's user records the method, for the tests to check.
      if (auth.username === user && auth.password === pass) callback(null, { user: auth.method });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw)
          .then((parsed) => {
            received.push({
              raw,
              parsed,
              authMethod: typeof session.user === 'string' ? session.user : undefined,
              heloName: session.hostNameAppearsAs,
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            });
            callback();
          })
          .catch((error: unknown) => {
            callback(error instanceof Error ? error : new Error(String(error)));
          });
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address() as AddressInfo;
  return {
    port: address.port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}
