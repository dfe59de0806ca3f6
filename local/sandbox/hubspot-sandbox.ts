/** A local HubSpot CRM (contacts, properties, rate limits) that the real @hubspot/api-client talks to unmodified. */
import type { FaultDecision } from './shared/fault-injector';
import { Router } from './shared/router';
import { SandboxCore, type SandboxOptions, type SandboxVendor } from './shared/sandbox-core';
import {
  inspectionRouter,
  sandboxControls,
  SandboxSeedError,
  type SandboxControls,
} from './shared/sandbox-controls';
import {
  bearerToken,
  InvalidJsonError,
  isRecord,
  type SandboxRequest,
  type SandboxResponse,
  jsonOrUndefined,
  retryAfterHeader,
} from './shared/sandbox-http';
import { ContactBook, type HubSpotContact } from './hubspot/contact-book';
import { addContactRoutes } from './hubspot/contact-routes';
import type { PropertyDefinitionInput, PropertyGroupInput } from './hubspot/default-properties';
import { AUTH_MISSING_MESSAGE, hubSpotErrorResponder } from './hubspot/hubspot-errors';
import { addPropertyRoutes } from './hubspot/property-routes';
import {
  PropertyRegistry,
  type HubSpotProperty,
  type HubSpotPropertyGroup,
} from './hubspot/property-registry';
import { HubSpotRateLimiter, type RatePolicy } from './hubspot/rate-limiter';

export type { HubSpotContact } from './hubspot/contact-book';
export type { HubSpotProperty, HubSpotPropertyGroup } from './hubspot/property-registry';
export type { PropertyDefinitionInput, PropertyGroupInput } from './hubspot/default-properties';

export interface HubSpotSandboxOptions extends SandboxOptions {
  /** Bearer tokens the portal accepts; the first is `sandbox.accessToken`. */
  readonly accessTokens?: readonly string[];
  /** Calls per rolling 10 s (HubSpot Pro/Enterprise: 190). */
  readonly tenSecondLimit?: number;
  /** Calls per day (UTC). */
  readonly dailyLimit?: number;
  /** Custom groups and properties that exist from the start (groups are created first). */
  readonly propertyGroups?: readonly PropertyGroupInput[];
  readonly properties?: readonly PropertyDefinitionInput[];
  /** Id of the first contact created (ids then count up). */
  readonly firstContactId?: number;
}

export interface HubSpotSeedContact {
  readonly properties: Record<string, string | number | boolean | null>;
}

export interface HubSpotSandbox extends SandboxControls<HubSpotContact> {
  readonly accessToken: string;
  /** Creates contacts as the API would (unknown properties refused); returns them with their ids. */
  seed(contacts: readonly HubSpotSeedContact[]): HubSpotContact[];
  properties(): HubSpotProperty[];
  propertyGroups(): HubSpotPropertyGroup[];
}

const DEFAULT_TOKEN = 'pat-sandbox-hubspot-token';

export async function startHubSpotSandbox(options: HubSpotSandboxOptions = {}): Promise<HubSpotSandbox> {
  const core = new SandboxCore(options);
  const tokens = new Set(options.accessTokens ?? [DEFAULT_TOKEN]);
  const registry = new PropertyRegistry(core.clock);
  for (const group of options.propertyGroups ?? []) expectCreated(registry.createGroup(group));
  for (const property of options.properties ?? []) expectCreated(registry.createProperty(property));
  const book = new ContactBook(core.clock, registry, options.firstContactId ?? 1);
  const limiter = new HubSpotRateLimiter(
    core.clock,
    options.tenSecondLimit ?? 190,
    options.dailyLimit ?? 625_000,
  );
  const fail = hubSpotErrorResponder(core.random);

  const api = new Router();
  addContactRoutes(api, book, fail, core.clock);
  addPropertyRoutes(api, registry, fail);

  const seed = (contacts: readonly unknown[]): HubSpotContact[] => {
    const parsed = contacts.map((contact) => {
      const properties = isRecord(contact) && isRecord(contact.properties) ? contact.properties : undefined;
      if (!properties) throw new SandboxSeedError('each seeded contact needs `properties`');
      const problems = book.refusals(properties);
      if (problems.length > 0)
        throw new SandboxSeedError(problems.map((problem) => problem.message).join('; '));
      return properties;
    });
    return parsed.map((properties) => structuredClone(book.create(properties)));
  };

  const controls = {
    ...sandboxControls(core, book.store),
    accessToken: [...tokens][0] ?? DEFAULT_TOKEN,
    seed,
    properties: () => structuredClone(registry.list()),
    propertyGroups: () => structuredClone(registry.listGroups()),
  };
  const inspection = inspectionRouter(controls, seed).on('GET', '/__sandbox/properties', () => ({
    status: 200,
    body: registry.list(),
  }));

  const rateLimited = (policy: RatePolicy, retryAfterSeconds?: number): SandboxResponse => {
    const message =
      policy === 'DAILY'
        ? 'You have reached your daily limit.'
        : 'You have reached your ten_secondly_rolling limit.';
    const response = fail(429, 'RATE_LIMITS', message, {
      errorType: 'RATE_LIMIT',
      policyName: policy,
      requestId: core.random.uuid(),
    });
    return {
      ...response,
      headers: {
        ...limiter.headers(),
        ...retryAfterHeader(retryAfterSeconds),
      },
    };
  };

  const answer = async (request: SandboxRequest): Promise<SandboxResponse> => {
    const token = bearerToken(request);
    if (token === undefined || !tokens.has(token))
      return fail(401, 'INVALID_AUTHENTICATION', AUTH_MISSING_MESSAGE);
    const decision = limiter.take();
    if (!decision.allowed) return rateLimited(decision.policy, decision.retryAfterSeconds);
    try {
      return await api.dispatch(request, () =>
        fail(404, 'OBJECT_NOT_FOUND', `No route for ${request.method} ${request.path}`),
      );
    } catch (error) {
      if (error instanceof InvalidJsonError) {
        return fail(400, 'VALIDATION_ERROR', `Invalid input JSON: ${error.message}`);
      }
      throw error;
    }
  };

  const vendor: SandboxVendor = {
    headersOfInterest: ['content-type', 'user-agent'],
    inspection,
    async handle(request) {
      const response = await answer(request);
      return { ...response, headers: { ...response.headers, ...limiter.headers() } };
    },
    faultResponse(_request, fault: FaultDecision) {
      if (fault.status === 429) return rateLimited('TEN_SECONDLY_ROLLING', fault.retryAfterSeconds);
      const response =
        fault.kind === 'outage'
          ? fail(503, 'SERVICE_UNAVAILABLE', 'The service is temporarily unavailable.')
          : fail(fault.status, 'INTERNAL_ERROR', 'An internal error occurred.');
      return {
        ...response,
        headers: { ...limiter.headers(), ...retryAfterHeader(fault.retryAfterSeconds) },
      };
    },
    internalError: () => fail(500, 'INTERNAL_ERROR', 'An internal error occurred.'),
    logBody: jsonOrUndefined,
  };

  const url = await core.listen(vendor);
  return { ...controls, url };
}

function expectCreated(outcome: { ok: boolean; message?: string }): void {
  if (!outcome.ok) throw new SandboxSeedError(outcome.message ?? 'invalid property definition');
}
