/** Application settings (API.md §7). Later issues fill in mail, storage and rate limits. */
export interface Settings {
  meta: {
    appName: string;
    appURL: string;
    senderName: string;
    senderAddress: string;
    hideControls: boolean;
  };
  batch: { enabled: boolean; maxRequests: number; timeout: number; maxBodySize: number };
}

/** The settings of a new installation. */
export function defaultSettings(): Settings {
  return {
    meta: {
      appName: 'Basalt',
      appURL: 'http://127.0.0.1:8090',
      senderName: 'Support',
      senderAddress: 'support@example.com',
      hideControls: false,
    },
    batch: { enabled: false, maxRequests: 50, timeout: 3, maxBodySize: 0 },
  };
}
