/** Salesforce record ids: 15-character case-sensitive ids and their 18-character case-safe form. */
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** Appends the 3-character checksum that encodes which of the 15 characters are upper case. */
export function toCaseSafeId(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let flags = 0;
    for (let position = 0; position < 5; position += 1) {
      const char = id15.charAt(chunk * 5 + position);
      if (char >= 'A' && char <= 'Z') flags |= 1 << position;
    }
    suffix += SUFFIX_ALPHABET.charAt(flags);
  }
  return id15 + suffix;
}

/** The 18-character form of a well-formed 15- or 18-character id, or undefined when malformed. */
export function normalizeId(id: string): string | undefined {
  if (!/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(id)) return undefined;
  return toCaseSafeId(id.slice(0, 15));
}

/** Deterministic ids: key prefix + a zero-padded counter per prefix, so tests and demos see stable ids. */
export class IdSequence {
  private readonly counters = new Map<string, number>();

  next(keyPrefix: string): string {
    const counter = (this.counters.get(keyPrefix) ?? 0) + 1;
    this.counters.set(keyPrefix, counter);
    return toCaseSafeId(`${keyPrefix}${String(counter).padStart(12, '0')}`);
  }
}
