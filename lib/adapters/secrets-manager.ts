/** Reads a JSON secret from AWS Secrets Manager (the only module that touches that SDK client). */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export class SecretUnavailableError extends Error {
  override readonly name = 'SecretUnavailableError';
}

export function jsonSecretReader(client: SecretsManagerClient, secretId: string): () => Promise<unknown> {
  return async () => {
    const result = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (!result.SecretString) {
      throw new SecretUnavailableError(`secret ${secretId} has no value yet: fill it (see README, deploy)`);
    }
    try {
      return JSON.parse(result.SecretString) as unknown;
    } catch {
      throw new SecretUnavailableError(`secret ${secretId} is not JSON`);
    }
  };
}
