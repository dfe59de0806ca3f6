/**
 * The @hubspot/api-client Client we use, built from the CRM secrets, and how its answers read: budget
 * headers, and failures as CrmCallError. The client's own retries stay off: it waits a fixed 10 s per
 * attempt on a 429 and ignores Retry-After, so the write-back retries by itself (lib/writeback).
 */
// The contacts API alone: the full Client bundles every HubSpot API (4.6 MB) into each function.
import ContactsDiscovery from '@hubspot/api-client/lib/src/discovery/crm/contacts/ContactsDiscovery';
import type { HubSpotSecrets } from '../config/crm-secrets';
import { CrmCallError, credentialsFailure, type BudgetReport } from '../writeback/crm-writer';
import { WholeBatchRefusal } from '../writeback/write-scores';

export interface HubSpotConnectionOptions {
  /** The private app token, read when first needed and again when the secrets' cache renews. */
  readonly credentials: () => Promise<HubSpotSecrets>;
  /** Another API host (a sandbox); HubSpot's own when omitted. */
  readonly baseUrl?: string;
}

export type HubSpotContactsApi = ContactsDiscovery;

/** Builds what talks to HubSpot for a token and an API host. */
export type HubSpotBuilder<T> = (accessToken: string, basePath: string | undefined) => T;

/** The contacts API (batch read and update) with the client's own retries off. */
export const contactsApi: HubSpotBuilder<HubSpotContactsApi> = (accessToken, basePath) =>
  new ContactsDiscovery({
    accessToken,
    numberOfApiCallRetries: 0,
    ...(basePath ? { basePath: basePath.replace(/\/+$/, '') } : {}),
  });

/** One API object per token: a rotated token in the secret gets a new one. */
export class HubSpotClientSource<T = HubSpotContactsApi> {
  private current: { readonly token: string; readonly client: T } | undefined;

  constructor(
    private readonly options: HubSpotConnectionOptions,
    private readonly build: HubSpotBuilder<T> = contactsApi as unknown as HubSpotBuilder<T>,
  ) {}

  async client(): Promise<T> {
    const { accessToken } = await this.options.credentials().catch((error: unknown) => {
      throw credentialsFailure(error);
    });
    if (this.current?.token !== accessToken) {
      this.current = { token: accessToken, client: this.build(accessToken, this.options.baseUrl) };
    }
    return this.current.client;
  }
}

type Headers = Readonly<Record<string, string | undefined>>;

const numberHeader = (headers: Headers, name: string): number | undefined => {
  const value = headers[name];
  const parsed = value === undefined ? NaN : Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
};

/** X-HubSpot-RateLimit-Remaining / -Interval-Milliseconds / -Daily / -Daily-Remaining, when present. */
export function hubSpotBudget(headers: Headers | undefined): BudgetReport | undefined {
  if (!headers) return undefined;
  const windowRemaining = numberHeader(headers, 'x-hubspot-ratelimit-remaining');
  const windowMs = numberHeader(headers, 'x-hubspot-ratelimit-interval-milliseconds');
  const dailyLimit = numberHeader(headers, 'x-hubspot-ratelimit-daily');
  const dailyRemaining = numberHeader(headers, 'x-hubspot-ratelimit-daily-remaining');
  const report: BudgetReport = {
    ...(windowRemaining !== undefined ? { windowRemaining } : {}),
    ...(windowMs !== undefined ? { windowMs } : {}),
    ...(dailyLimit !== undefined && dailyRemaining !== undefined
      ? { dailyLimit, dailyUsed: dailyLimit - dailyRemaining }
      : {}),
  };
  return Object.keys(report).length > 0 ? report : undefined;
}

/** Validation codes about a property itself, not its value: every record of a call is refused alike. */
const PROPERTY_CODES = new Set(['PROPERTY_DOESNT_EXIST', 'READ_ONLY_VALUE']);

interface HubSpotErrorBody {
  readonly message?: unknown;
  readonly category?: unknown;
  readonly policyName?: unknown;
  readonly errors?: unknown;
}

/**
 * HubSpot refuses a whole batch update (400 VALIDATION_ERROR) when one input has an invalid value (an
 * option the property lacks, a number it cannot read), without naming the input. The codes are in
 * `errors[].code`, or only in the message ("Property values were not valid: [{…"error":"INVALID_OPTION"…}]").
 */
function refusedForAValue(body: HubSpotErrorBody | undefined, message: string): boolean {
  if (body?.category !== 'VALIDATION_ERROR') return false;
  const details = Array.isArray(body.errors) ? (body.errors as { code?: unknown }[]) : [];
  const codes = [
    ...details.map((detail) => detail.code).filter((code): code is string => typeof code === 'string'),
    ...[...message.matchAll(/"error":"([A-Z_]+)"/g)].map((match) => match[1] ?? ''),
  ];
  return codes.length === 0 || codes.some((code) => !PROPERTY_CODES.has(code));
}

/** What the client threw (ApiException carries code, body and headers), as a call failure. */
export function hubSpotCallError(error: unknown): CrmCallError {
  const { code, body, headers } = error as {
    code?: unknown;
    body?: HubSpotErrorBody;
    headers?: Record<string, string>;
  };
  if (typeof code !== 'number' || code === 0) {
    return new CrmCallError(
      'transient',
      `HubSpot unreachable: ${(error as Error)?.message ?? String(error)}`,
    );
  }
  const budget = hubSpotBudget(headers);
  const message = typeof body?.message === 'string' ? body.message : `HTTP ${code}`;
  const category = typeof body?.category === 'string' ? `${body.category}: ` : '';
  const describe = `${code} ${category}${message}`;
  if (code === 429) {
    if (body?.policyName === 'DAILY') return new CrmCallError('quota', describe, { budget });
    const retryAfter = numberHeader(headers ?? {}, 'retry-after');
    const retryAfterMs =
      retryAfter !== undefined
        ? retryAfter * 1000
        : budget?.windowRemaining === 0
          ? budget.windowMs
          : undefined;
    return new CrmCallError('throttled', describe, { budget, retryAfterMs });
  }
  if (code === 401 || code === 403) return new CrmCallError('auth', describe, { budget });
  if (code >= 500 || code === 408 || code === 423) return new CrmCallError('transient', describe, { budget });
  if (code === 400 && refusedForAValue(body, message)) return new WholeBatchRefusal(describe, { budget });
  return new CrmCallError('rejected', describe, { budget });
}
