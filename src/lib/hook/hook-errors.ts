/** What a hook error says about the handler it is about. */
export interface HookHandlerInfo {
  /** The hook's name, e.g. `onRecordCreate` (empty when the hook has none). */
  readonly hook: string;
  /** The handler's id (given to bind, or generated). */
  readonly id: string;
  /** Where the handler was registered, e.g. `basalt_hooks/orders.ts:12` (optional). */
  readonly source: string | undefined;
}

function describe(info: HookHandlerInfo): string {
  const hook = info.hook === '' ? 'hook' : info.hook;
  const where = info.source === undefined ? '' : ` (${info.source})`;
  return `${hook} handler "${info.id}"${where}`;
}

/** A hook handler broke the `e.next()` contract; names the handler and where it came from. */
export abstract class HookChainError extends Error {
  readonly hook: string;
  readonly handlerId: string;
  readonly source: string | undefined;

  protected constructor(info: HookHandlerInfo, message: string) {
    super(message);
    this.hook = info.hook;
    this.handlerId = info.id;
    this.source = info.source;
  }
}

/**
 * A handler returned (or resolved) without calling `e.next()` and without throwing. The chain
 * stopped there: the handlers after it and the default action did not run.
 */
export class HookNextNotCalledError extends HookChainError {
  constructor(info: HookHandlerInfo) {
    super(
      info,
      `${describe(info)} returned without calling e.next() or throwing; ` +
        'the rest of the chain and the default action did not run',
    );
    this.name = 'HookNextNotCalledError';
  }
}

/** A handler called `e.next()` a second time. */
export class HookNextCalledTwiceError extends HookChainError {
  constructor(info: HookHandlerInfo) {
    super(info, `${describe(info)} called e.next() more than once`);
    this.name = 'HookNextCalledTwiceError';
  }
}
