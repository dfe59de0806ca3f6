/** Form-encoded webhook bodies (Mandrill, Mailchimp): decoded as PHP and Rails do, repeated keys refused. */
import { MalformedBodyError } from '../webhook';

/**
 * Decodes `application/x-www-form-urlencoded` ('+' is a space, percent-escapes as UTF-8). Undefined when a
 * key repeats: the vendors never repeat one, and first-wins versus last-wins would let a verifier and a
 * parser read different values. Never throws, so verifiers can use it.
 */
export function readForm(rawBody: Buffer): ReadonlyMap<string, string> | undefined {
  const form = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(rawBody.toString('utf8'))) {
    if (form.has(key)) return undefined;
    form.set(key, value);
  }
  return form;
}

export function parseForm(rawBody: Buffer, source: string): ReadonlyMap<string, string> {
  const form = readForm(rawBody);
  if (!form) throw new MalformedBodyError(`${source}: form field repeated`);
  return form;
}
