import type { FastifyRequest } from 'fastify';
import type { App } from '../core/app.js';
import type { AuthAttempt } from '../core/auth/auth-attempt.js';
import { isJsonObject } from '../lib/json-merge.js';
import { clientIp } from './client-ip.js';
import { recordRequestOf } from './record-request.js';

/** The longest `mfaId` looked up; longer ones cannot be ids and count as unknown. */
const MAX_MFA_ID = 255;

function textOf(source: unknown, key: string): string {
  const value = isJsonObject(source) ? source[key] : undefined;
  return typeof value === 'string' ? value.slice(0, MAX_MFA_ID + 1) : '';
}

/** A sign-in request as core sees it: auth and rule facts, client IP, User-Agent, `mfaId`. */
export function authAttemptOf(app: App, request: FastifyRequest): AuthAttempt {
  const userAgent = request.headers['user-agent'];
  return {
    request: recordRequestOf(request),
    ip: clientIp(request, app.settings.peek().trustedProxy),
    userAgent: typeof userAgent === 'string' ? userAgent : '',
    mfaId: textOf(request.body, 'mfaId') || textOf(request.query, 'mfaId'),
  };
}
