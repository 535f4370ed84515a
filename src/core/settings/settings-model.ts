/** Application settings (API.md §7). Secrets (`smtp.password`, `s3.secret`) are never output. */
export interface Settings {
  meta: {
    appName: string;
    appURL: string;
    senderName: string;
    senderAddress: string;
    hideControls: boolean;
  };
  smtp: {
    enabled: boolean;
    host: string;
    port: number;
    username: string;
    password: string;
    authMethod: string;
    tls: boolean;
    localName: string;
  };
  s3: S3Settings;
  backups: { cron: string; cronMaxKeep: number; s3: S3Settings };
  batch: { enabled: boolean; maxRequests: number; timeout: number; maxBodySize: number };
  rateLimits: {
    enabled: boolean;
    rules: { label: string; audience: string; duration: number; maxRequests: number }[];
    excludedIPs: string[];
  };
  trustedProxy: { headers: string[]; useLeftmostIP: boolean };
  logs: { maxDays: number; minLevel: number; logIP: boolean; logAuthId: boolean };
  superuserIPs: string[];
  /** Failed sign-in throttling, a Basalt addition (docs/compatibility.md). */
  authThrottle: AuthThrottleSettings;
  /**
   * `GET /api/openapi.json`, a Basalt addition: superusers only, unless `public`, which lets
   * anyone read the public document (collections with a non-null list or view rule, no
   * superuser-only endpoints).
   */
  openapi: { public: boolean };
}

/**
 * Failed sign-ins allowed per identity (collection and identity text) and per client IP
 * within a fixed window; past them, sign-ins answer 429 without checking a password.
 */
export interface AuthThrottleSettings {
  enabled: boolean;
  maxFailuresPerIdentity: number;
  maxFailuresPerIP: number;
  windowSeconds: number;
}

/** S3-compatible storage settings. */
export interface S3Settings {
  enabled: boolean;
  bucket: string;
  region: string;
  endpoint: string;
  accessKey: string;
  secret: string;
  forcePathStyle: boolean;
}

function s3Defaults(): S3Settings {
  return {
    enabled: false,
    bucket: '',
    region: '',
    endpoint: '',
    accessKey: '',
    secret: '',
    forcePathStyle: false,
  };
}

/** The settings of a new installation (API.md §7 defaults). */
export function defaultSettings(): Settings {
  return {
    meta: {
      appName: 'Basalt',
      appURL: 'http://127.0.0.1:8090',
      senderName: 'Support',
      senderAddress: 'support@example.com',
      hideControls: false,
    },
    smtp: {
      enabled: false,
      host: 'smtp.example.com',
      port: 587,
      username: '',
      password: '',
      authMethod: 'PLAIN',
      tls: false,
      localName: '',
    },
    s3: s3Defaults(),
    backups: { cron: '', cronMaxKeep: 3, s3: s3Defaults() },
    batch: { enabled: false, maxRequests: 50, timeout: 3, maxBodySize: 0 },
    rateLimits: {
      enabled: false,
      rules: [
        { label: '*:auth', audience: '', duration: 3, maxRequests: 2 },
        { label: '*:create', audience: '', duration: 5, maxRequests: 20 },
        { label: '/api/batch', audience: '', duration: 1, maxRequests: 3 },
        { label: '/api/', audience: '', duration: 10, maxRequests: 300 },
      ],
      excludedIPs: [],
    },
    trustedProxy: { headers: [], useLeftmostIP: false },
    logs: { maxDays: 5, minLevel: 0, logIP: true, logAuthId: false },
    superuserIPs: [],
    authThrottle: {
      enabled: true,
      maxFailuresPerIdentity: 5,
      maxFailuresPerIP: 20,
      windowSeconds: 60,
    },
    openapi: { public: false },
  };
}
