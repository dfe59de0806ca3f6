/** HubSpot's error bodies: `{status:'error', message, correlationId, category, …}` for a call, StandardError inside batches. */
import type { SandboxResponse } from '../shared/sandbox-http';
import type { SeededRandom } from '../shared/seeded-random';

export interface ErrorDetail {
  readonly message: string;
  readonly code: string;
  readonly context?: Record<string, string[]>;
}

/** One entry of a batch response's `errors[]` (HubSpot's StandardError). */
export interface BatchError {
  readonly status: 'error';
  readonly category: string;
  readonly message: string;
  readonly context: Record<string, string[]>;
  readonly errors?: ErrorDetail[];
}

export type HubSpotErrorResponder = (
  status: number,
  category: string,
  message: string,
  extra?: Record<string, unknown>,
) => SandboxResponse;

export function hubSpotErrorResponder(random: SeededRandom): HubSpotErrorResponder {
  return (status, category, message, extra = {}) => ({
    status,
    body: { status: 'error', message, correlationId: random.uuid(), category, ...extra },
  });
}

export const AUTH_MISSING_MESSAGE =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

export function propertyDoesNotExist(names: readonly string[]): ErrorDetail[] {
  return names.map((name) => ({
    message: `Property "${name}" does not exist`,
    code: 'PROPERTY_DOESNT_EXIST',
    context: { propertyName: [name] },
  }));
}

export function invalidPropertiesMessage(names: readonly string[]): string {
  const details = names.map((name) => ({
    isValid: false,
    message: `Property "${name}" does not exist`,
    error: 'PROPERTY_DOESNT_EXIST',
    name,
  }));
  return `Property values were not valid: ${JSON.stringify(details)}`;
}
