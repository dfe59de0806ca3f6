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

/** The message of HubSpot's whole-call 400 for invalid property values, each detail as HubSpot lists it. */
export function propertyValuesNotValid(details: readonly ErrorDetail[]): string {
  const listed = details.map((detail) => ({
    isValid: false,
    message: detail.message,
    error: detail.code,
    name: detail.context?.propertyName?.[0] ?? '',
  }));
  return `Property values were not valid: ${JSON.stringify(listed)}`;
}
