import { idField, timestampFields } from '../collection/collection-defaults.js';
import { AUTH_SYSTEM_COLLECTIONS, type AuthSystemCollection } from '../auth/auth-system-records.js';

/** Who may read (and, where given, delete) an auth system record: the record it belongs to. */
const OWNER_RULE =
  "@request.auth.id != '' && recordRef = @request.auth.id && collectionRef = @request.auth.collectionId";

type FieldInput = Record<string, unknown>;

function text(name: string, options: FieldInput = {}): FieldInput {
  return { type: 'text', name, system: true, required: true, ...options };
}

function collection(
  key: AuthSystemCollection,
  fields: FieldInput[],
  indexes: string[],
  ownerMayDelete: boolean,
): FieldInput {
  const { id, name } = AUTH_SYSTEM_COLLECTIONS[key];
  return {
    id,
    name,
    type: 'base',
    system: true,
    fields: [
      idField(),
      text('collectionRef'),
      text('recordRef'),
      ...fields,
      ...timestampFields(true),
    ],
    indexes,
    listRule: OWNER_RULE,
    viewRule: OWNER_RULE,
    deleteRule: ownerMayDelete ? OWNER_RULE : null,
  };
}

/**
 * The system collections behind OAuth2, MFA, OTP and login alerts (API.md §3.1), with
 * PocketBase's ids, fields, indexes and rules.
 */
export function authSystemCollections(): FieldInput[] {
  return [
    collection(
      'externalAuths',
      [text('provider'), text('providerId')],
      [
        'CREATE UNIQUE INDEX `idx_externalAuths_record_provider` ON `_externalAuths` (`collectionRef`, `recordRef`, `provider`)',
        'CREATE UNIQUE INDEX `idx_externalAuths_collection_provider` ON `_externalAuths` (`collectionRef`, `provider`, `providerId`)',
      ],
      true,
    ),
    collection(
      'mfas',
      [text('method')],
      ['CREATE INDEX `idx_mfas_collectionRef_recordRef` ON `_mfas` (`collectionRef`, `recordRef`)'],
      false,
    ),
    collection(
      'otps',
      [
        { type: 'password', name: 'password', system: true, hidden: true, required: true, cost: 8 },
        text('sentTo', { hidden: true, required: false }),
      ],
      ['CREATE INDEX `idx_otps_collectionRef_recordRef` ON `_otps` (`collectionRef`, `recordRef`)'],
      false,
    ),
    collection(
      'authOrigins',
      [text('fingerprint')],
      [
        'CREATE UNIQUE INDEX `idx_authOrigins_unique_pairs` ON `_authOrigins` (`collectionRef`, `recordRef`, `fingerprint`)',
      ],
      true,
    ),
  ];
}
