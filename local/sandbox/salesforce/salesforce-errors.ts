/** Salesforce REST error bodies: `[{message, errorCode, fields?}]` for a call, `{statusCode, message, fields}` in SaveResults. */
import type { SandboxResponse } from '../shared/sandbox-http';

export interface SaveError {
  readonly statusCode: string;
  readonly message: string;
  readonly fields: string[];
}

export interface SaveResult {
  readonly id?: string;
  readonly success: boolean;
  readonly errors: SaveError[];
}

export function salesforceError(
  status: number,
  errorCode: string,
  message: string,
  fields?: string[],
): SandboxResponse {
  return { status, body: [{ message, errorCode, ...(fields ? { fields } : {}) }] };
}

export function saveError(statusCode: string, message: string, fields: string[] = []): SaveError {
  return { statusCode, message, fields };
}

export const sessionExpired = (): SandboxResponse =>
  salesforceError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

export const notFound = (): SandboxResponse =>
  salesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');

export const entityDeleted = (): SandboxResponse =>
  salesforceError(404, 'ENTITY_IS_DELETED', 'entity is deleted');

/** OAuth endpoint errors use a different shape from the REST API. */
export function oauthError(status: number, error: string, description: string): SandboxResponse {
  return { status, body: { error, error_description: description } };
}
