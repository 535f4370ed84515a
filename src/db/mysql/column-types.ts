import { sql, type Expression } from 'kysely';
import type { ColumnKind } from '../adapter.js';

/**
 * The collation of every text column, of the database and of the connection: byte order
 * (code point order), case-sensitive as SQLite's BINARY, and NO PAD, so that trailing spaces
 * count (`'a' = 'a '` is false, as on SQLite; `utf8mb4_bin` would call them equal).
 */
export const TEXT_COLLATION = 'utf8mb4_nopad_bin';

/** A text column type in {@link TEXT_COLLATION}. */
const LONG_TEXT = sql`longtext character set utf8mb4 collate ${sql.raw(TEXT_COLLATION)}`;

/** MariaDB column type and default of each column kind. */
interface MysqlColumnType {
  readonly type: Expression<unknown>;
  readonly default: Expression<unknown>;
  readonly notNull: boolean;
}

/**
 * Texts and JSON are LONGTEXT (as long as SQLite's TEXT allows in practice); JSON stays the
 * text that was written, as on SQLite. Numbers are DOUBLE, bools TINYINT(1) (0/1 as on SQLite).
 */
export const MYSQL_COLUMN_TYPES: Record<Exclude<ColumnKind, 'primaryKey'>, MysqlColumnType> = {
  text: { type: LONG_TEXT, default: sql`''`, notNull: true },
  number: { type: sql`double`, default: sql`0`, notNull: true },
  bool: { type: sql`boolean`, default: sql`0`, notNull: true },
  json: { type: LONG_TEXT, default: sql`null`, notNull: false },
  jsonArray: { type: LONG_TEXT, default: sql`'[]'`, notNull: true },
  geoPoint: { type: LONG_TEXT, default: sql`'{"lon":0,"lat":0}'`, notNull: true },
};

/**
 * The primary key: a VARCHAR as long as an InnoDB key may be (3072 bytes of utf8mb4), since a
 * key cannot be a LONGTEXT.
 */
export const PRIMARY_KEY_TYPE = sql`varchar(768) character set utf8mb4 collate ${sql.raw(TEXT_COLLATION)}`;

/** The longest index key InnoDB accepts, in bytes. */
export const MAX_KEY_BYTES = 3072;

/**
 * The hidden insertion-order column of every collection table (`sort=@rowid`), an INVISIBLE
 * auto-increment column, so that `select *` leaves it out. MariaDB's special name is `_rowid`
 * (an alias of an integer primary key); `_rowid_` is an ordinary name.
 */
export const ROWID_COLUMN = '_rowid_';

/** The unique key an auto-increment column needs; introspection leaves it out. */
export const ROWID_INDEX = '_basalt_rowid';

/** Names of Basalt's own hidden objects, which introspection leaves out. */
export const HIDDEN_PREFIX = {
  /** Invisible generated columns behind partial and case-insensitive unique indexes. */
  indexColumn: '_basalt_ix_',
  /** Tables, columns and indexes dropped inside a transaction, removed after it commits. */
  trash: '_basalt_trash_',
} as const;

/**
 * The journal of schema changes under way (see DdlTransactions), which introspection leaves
 * out: bookkeeping of the engine, not a table of Basalt's data.
 */
export const JOURNAL_TABLE = '_basalt_ddl_journal';
