import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type ClientMetadata } from 'oidc-provider';

/** The claims of one test account of the identity provider. */
export type IdpAccount = Readonly<Record<string, unknown>>;

/** How a sign-in at the provider ended: the redirect's query parameters. */
export interface IdpRedirect {
  readonly code: string;
  readonly state: string;
  readonly error: string;
  readonly url: URL;
}

/** A real OpenID Connect provider (npm oidc-provider) listening on 127.0.0.1. */
export interface TestIdp {
  readonly issuer: string;
  readonly authURL: string;
  readonly tokenURL: string;
  readonly userInfoURL: string;
  readonly jwksURL: string;
  /** Accounts by id; tests may add or change them between sign-ins. */
  readonly accounts: Map<string, IdpAccount>;
  /**
   * Drives a sign-in from an authorization URL (as Basalt's auth-methods lists it, with the
   * redirect URI appended) through the provider's login and consent pages, as `accountId`,
   * and returns where the provider redirects back to, without following that redirect.
   */
  signIn(authorizationURL: string, accountId: string, redirectURL: string): Promise<IdpRedirect>;
  close(): Promise<void>;
}

/** A tiny cookie jar: the name=value pairs the provider set, sent back on every request. */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

const PROMPT_RE = /name="prompt" value="(\w+)"/;

/** The result of `response_mode=form_post` (Apple's): the auto-submitted form's fields. */
function formPostResult(html: string, redirectURL: string): IdpRedirect {
  const field = (name: string) =>
    new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
  return {
    code: field('code'),
    state: field('state'),
    error: field('error'),
    url: new URL(redirectURL),
  };
}

/**
 * Starts the provider with `clients` registered (client_secret_basic unless a client says
 * otherwise) and `accounts` (id -> claims). Its development login page accepts any password;
 * `signIn` fills it and the consent page through plain HTTP requests.
 */
export async function startTestIdp(
  clients: ClientMetadata[],
  accounts: Record<string, IdpAccount>,
): Promise<TestIdp> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${String(port)}`;
  const accountMap = new Map(Object.entries(accounts));
  const provider = new Provider(issuer, {
    clients,
    findAccount: (_ctx, sub) => {
      const claims = accountMap.get(sub);
      if (!claims) return undefined;
      return { accountId: sub, claims: () => ({ ...claims, sub }) };
    },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username', 'picture'],
    },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => false },
    // The ID token carries the scope's claims too, for sign-ins without a user info endpoint.
    conformIdTokenClaims: false,
    cookies: { keys: ['basalt-test-cookie-key'] },
  });
  const handle = provider.callback();
  server.on('request', (req, res) => {
    void handle(req, res);
  });

  async function signIn(
    authorizationURL: string,
    accountId: string,
    redirectURL: string,
  ): Promise<IdpRedirect> {
    const jar = new CookieJar();
    let next = new URL(authorizationURL);
    let method = 'GET';
    let body: URLSearchParams | undefined;
    for (let step = 0; step < 12; step++) {
      const response = await fetch(next, {
        method,
        redirect: 'manual',
        headers: {
          cookie: jar.header(),
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(body ? { body: body.toString() } : {}),
      });
      jar.store(response);
      const location = response.headers.get('location');
      if (location) {
        await response.body?.cancel();
        const target = new URL(location, next);
        if (target.href.startsWith(redirectURL)) {
          return {
            code: target.searchParams.get('code') ?? '',
            state: target.searchParams.get('state') ?? '',
            error: target.searchParams.get('error') ?? '',
            url: target,
          };
        }
        next = target;
        method = 'GET';
        body = undefined;
        continue;
      }
      const html = await response.text();
      if (html.includes(`action="${redirectURL}"`)) return formPostResult(html, redirectURL);
      const prompt = PROMPT_RE.exec(html)?.[1];
      if (response.status !== 200 || !prompt) {
        throw new Error(`unexpected provider page ${String(response.status)} at ${next.pathname}`);
      }
      method = 'POST';
      body =
        prompt === 'login'
          ? new URLSearchParams({ prompt, login: accountId, password: 'any' })
          : new URLSearchParams({ prompt });
    }
    throw new Error('the sign-in did not come back to the redirect URL');
  }

  return {
    issuer,
    authURL: `${issuer}/auth`,
    tokenURL: `${issuer}/token`,
    userInfoURL: `${issuer}/me`,
    jwksURL: `${issuer}/jwks`,
    accounts: accountMap,
    signIn,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
