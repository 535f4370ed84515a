import { HookEvent, type TaggedEvent } from '../../lib/hook/index.js';
import type { App } from '../app.js';
import type { Collection } from '../collection/collection-model.js';
import type { MailMessage } from '../mail/mail-message.js';
import type { RecordModel } from '../record/record.js';

/** onBootstrap: the app is open and migrated; the server does not listen yet. */
export class BootstrapEvent extends HookEvent {
  constructor(readonly app: App) {
    super();
  }
}

/** onTerminate: the app stops (requests in flight have finished). */
export class TerminateEvent extends HookEvent {
  constructor(
    readonly app: App,
    /** True when stopping for a reload (`--dev`) rather than for good. */
    readonly isRestart: boolean,
  ) {
    super();
  }
}

/**
 * onMailerSend: a mail about to be sent. Handlers may change `message` before `e.next()`
 * (which sends it), or throw to refuse it.
 */
export class MailerEvent extends HookEvent {
  constructor(
    readonly app: App,
    public message: MailMessage,
  ) {
    super();
  }
}

/** Which account mail a MailerRecordEvent is. */
export type AccountMailKind =
  'verification' | 'passwordReset' | 'emailChange' | 'otp' | 'authAlert';

/**
 * An account mail about to be sent (onMailerRecordVerificationSend, ...PasswordResetSend,
 * ...EmailChangeSend, ...OTPSend, ...AuthAlertSend), around the send (which runs
 * onMailerSend in turn). Handlers may change `message` before `e.next()`, or throw to refuse
 * it (the failure is logged; the request that caused it has been answered already).
 */
export class MailerRecordEvent extends MailerEvent implements TaggedEvent {
  constructor(
    app: App,
    message: MailMessage,
    readonly kind: AccountMailKind,
    readonly record: RecordModel,
  ) {
    super(app, message);
  }

  get collection(): Collection {
    return this.record.collection;
  }

  tags(): readonly string[] {
    return [this.record.collection.id, this.record.collection.name];
  }
}
