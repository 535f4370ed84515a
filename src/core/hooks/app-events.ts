import { HookEvent } from '../../lib/hook/index.js';
import type { App } from '../app.js';
import type { MailMessage } from '../mail/mail-message.js';

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
