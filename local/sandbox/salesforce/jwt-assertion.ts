/** Verifies the RS256 JWT of the OAuth 2.0 JWT bearer flow the way Salesforce's token endpoint does. */
import { verify, type KeyObject } from 'node:crypto';

export interface JwtApp {
  readonly consumerKey: string;
  readonly publicKey?: KeyObject;
  readonly usernames?: readonly string[];
}

export interface JwtClaims {
  readonly iss: string;
  readonly sub: string;
}

export type JwtCheck =
  | { readonly ok: true; readonly claims: JwtClaims }
  | { readonly ok: false; readonly error: string; readonly description: string };

const invalidGrant = (description: string): JwtCheck => ({ ok: false, error: 'invalid_grant', description });

export function verifyJwtAssertion(
  assertion: string,
  apps: readonly JwtApp[],
  audiences: readonly string[],
  nowMs: number,
): JwtCheck {
  const parts = assertion.split('.');
  const [encodedHeader, encodedClaims, encodedSignature] = parts;
  if (parts.length !== 3 || !encodedHeader || !encodedClaims || encodedSignature === undefined) {
    return invalidGrant('invalid assertion');
  }
  const header = decodeJson(encodedHeader);
  const claims = decodeJson(encodedClaims);
  if (!header || !claims || header.alg !== 'RS256') return invalidGrant('invalid assertion');

  const app = apps.find(
    (candidate) => candidate.consumerKey === claims.iss && candidate.publicKey !== undefined,
  );
  if (!app?.publicKey)
    return { ok: false, error: 'invalid_client_id', description: 'client identifier invalid' };
  const signed = Buffer.from(`${encodedHeader}.${encodedClaims}`);
  if (!verify('RSA-SHA256', signed, app.publicKey, Buffer.from(encodedSignature, 'base64url'))) {
    return invalidGrant('invalid assertion');
  }

  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const accepted = new Set(audiences.map(trimSlash));
  if (!audience.some((aud) => typeof aud === 'string' && accepted.has(trimSlash(aud)))) {
    return invalidGrant('audience is invalid');
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs)
    return invalidGrant('expired authorization code');
  if (typeof claims.sub !== 'string' || (app.usernames && !app.usernames.includes(claims.sub))) {
    return invalidGrant("user hasn't approved this consumer");
  }
  return { ok: true, claims: { iss: app.consumerKey, sub: claims.sub } };
}

function decodeJson(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
