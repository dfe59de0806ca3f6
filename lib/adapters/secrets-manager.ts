/** Reads a JSON secret from AWS Secrets Manager, through the SDK or the ingest function's small client. */
import { awsJsonClient, SECRETS_MANAGER_SERVICE } from './aws-lite';

export class SecretUnavailableError extends Error {
  override readonly name = 'SecretUnavailableError';
}

/** GetSecretValue's SecretString, by whichever client makes the call. */
export type GetSecretString = (secretId: string) => Promise<string | undefined>;

/** GetSecretValue without the SDK (the ingest function; see aws-lite.ts). */
export function liteGetSecretString(
  env: Readonly<Record<string, string | undefined>> = process.env,
): GetSecretString {
  const call = awsJsonClient(SECRETS_MANAGER_SERVICE, env);
  return async (secretId) =>
    (await call<{ SecretString?: string }>('GetSecretValue', { SecretId: secretId })).SecretString;
}

export function jsonSecretReader(getSecretString: GetSecretString, secretId: string): () => Promise<unknown> {
  return async () => {
    const text = await getSecretString(secretId);
    if (!text) {
      throw new SecretUnavailableError(`secret ${secretId} has no value yet: fill it (see README, deploy)`);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new SecretUnavailableError(`secret ${secretId} is not JSON`);
    }
  };
}
