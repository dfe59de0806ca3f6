/** Reads configuration from the environment once, validated, failing fast with the variable's name. */
import * as z from 'zod/mini';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Parses `env` with a schema keyed by variable name; every problem is reported at once as
 * `NAME: message` so that a deploy with three missing variables is fixed in one go.
 */
export function readEnv<T extends z.ZodMiniType>(schema: T, env: Env, what: string): z.infer<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    return issue.code === 'invalid_type' && issue.input === undefined
      ? `${name}: required but not set`
      : `${name}: ${issue.message}`;
  });
  throw new ConfigError(`${what} configuration is invalid:\n  ${problems.join('\n  ')}`);
}

export const positiveIntText = () =>
  z.optional(z.string().check(z.regex(/^[1-9]\d*$/, 'expected a positive whole number')));

/** The number in a variable validated by positiveIntText, or the default. */
export const intOr = (text: string | undefined, fallback: number): number =>
  text === undefined ? fallback : Number(text);
