/**
 * The webhook secrets document (one JSON secret, or an env var locally): a section per source.
 * A source without a section is not installed, and its route answers 404.
 */
import { issueText } from '../issue-text';
import * as z from 'zod/mini';

const secret = () => z.string().check(z.minLength(8, 'too short to be a secret (at least 8 characters)'));
const list = <T extends z.ZodMiniType>(item: T) => z.array(item).check(z.minLength(1, 'needs at least one'));

export const WebhookSecretsSchema = z.lazy(() =>
  z.strictObject({
    hubspot: z.optional(z.strictObject({ clientSecret: secret() })),
    salesforce: z.optional(
      z.strictObject({
        organizationIds: list(
          z.string().check(z.regex(/^00D[0-9A-Za-z]{12}([0-9A-Za-z]{3})?$/, 'not an org id')),
        ),
        urlToken: secret(),
      }),
    ),
    sendgrid: z.optional(z.strictObject({ publicKey: z.string().check(z.minLength(40)) })),
    mandrill: z.optional(z.strictObject({ webhookKey: secret() })),
    mailchimp: z.optional(z.strictObject({ urlToken: secret() })),
    mailgun: z.optional(z.strictObject({ signingKey: secret() })),
    postmark: z.optional(z.strictObject({ username: z.string().check(z.minLength(1)), password: secret() })),
    ses: z.optional(z.strictObject({ topicArns: list(z.string().check(z.regex(/^arn:aws[a-z-]*:sns:/))) })),
    api: z.optional(z.strictObject({ keys: list(secret()) })),
  }),
);
export type WebhookSecrets = z.infer<typeof WebhookSecretsSchema>;

export class WebhookSecretsError extends Error {
  override readonly name = 'WebhookSecretsError';
}

/** Validates the document, naming every wrong entry by path (never echoing a secret's value). */
export function parseWebhookSecrets(document: unknown): WebhookSecrets {
  const result = WebhookSecretsSchema.safeParse(document);
  if (result.success) return result.data;
  const problems = result.error.issues.map(issueText);
  throw new WebhookSecretsError(`webhook secrets are invalid:\n  ${problems.join('\n  ')}`);
}

export type SecretsSection = keyof WebhookSecrets;

/**
 * The document section by section, so that a mistake in one (a typo while adding Mailchimp) leaves the
 * others installed: the valid sections, and for each broken one what is wrong with it. Anything else
 * wrong (not an object, an unknown section) throws WebhookSecretsError.
 */
export function readWebhookSecrets(document: unknown): {
  secrets: WebhookSecrets;
  broken: ReadonlyMap<SecretsSection, string>;
} {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return { secrets: parseWebhookSecrets(document), broken: new Map() };
  }
  const shape = WebhookSecretsSchema._zod.def.getter().shape;
  const unknown = Object.keys(document).filter((key) => !Object.hasOwn(shape, key));
  if (unknown.length > 0) parseWebhookSecrets(document);
  const secrets: Record<string, unknown> = {};
  const broken = new Map<SecretsSection, string>();
  for (const [name, value] of Object.entries(document as Record<string, unknown>)) {
    const section = name as SecretsSection;
    const result = shape[section].safeParse(value);
    if (result.success) secrets[section] = result.data;
    else
      broken.set(
        section,
        result.error.issues
          .map((issue) => issueText({ ...issue, path: [section, ...issue.path] }))
          .join('; '),
      );
  }
  return { secrets: secrets as WebhookSecrets, broken };
}
