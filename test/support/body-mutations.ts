/** fast-check arbitraries for webhook bodies: random ones, and valid ones damaged byte-wise or structurally. */
import fc from 'fast-check';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// Fragments that mean something to JSON, XML, form encoding or JavaScript objects.
const TOKENS = [
  '"',
  '\\',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '<',
  '>',
  '/>',
  '</',
  '&',
  '&amp;',
  '&#0;',
  '<![CDATA[',
  ']]>',
  '=',
  '%',
  '%ZZ',
  '%00',
  '+',
  '&a=',
  '0',
  '-1',
  '1e999',
  'null',
  'true',
  '__proto__',
  'constructor',
  '\u0000',
  '\uFFFF',
  '\uD800',
  'é',
];
const WHITESPACE = [' ', '\n', '\t', '\r\n'];

type Edit =
  | { readonly kind: 'flip'; readonly at: number; readonly mask: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: 'token'; readonly at: number; readonly text: string }
  | { readonly kind: 'whitespace'; readonly at: number; readonly text: string }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'duplicate'; readonly at: number; readonly length: number }
  | { readonly kind: 'truncate'; readonly at: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('token' as const), at: fc.nat(), text: fc.constantFrom(...TOKENS) }),
  // Bytes the content type ignores (between JSON tokens, XML elements): a body that often stays valid.
  fc.record({ kind: fc.constant('whitespace' as const), at: fc.nat(), text: fc.constantFrom(...WHITESPACE) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 32 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

function apply(body: Buffer, change: Edit): Buffer {
  const at = change.at % (body.length + 1);
  const before = body.subarray(0, at);
  switch (change.kind) {
    case 'flip': {
      if (body.length === 0) return body;
      const copy = Buffer.from(body);
      const index = change.at % body.length;
      copy[index] = (copy[index] ?? 0) ^ change.mask;
      return copy;
    }
    case 'insert':
      return Buffer.concat([before, change.bytes, body.subarray(at)]);
    case 'token':
    case 'whitespace':
      return Buffer.concat([before, Buffer.from(change.text, 'utf8'), body.subarray(at)]);
    case 'delete':
      return Buffer.concat([before, body.subarray(at + change.length)]);
    case 'duplicate':
      return Buffer.concat([body.subarray(0, at + change.length), body.subarray(at)]);
    case 'truncate':
      return before;
  }
}

/** One to four byte-level edits of one of the seeds. */
export const byteMutation = (seeds: readonly Buffer[]): fc.Arbitrary<Buffer> =>
  fc
    .tuple(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 4 }))
    .map(([seed, edits]) => edits.reduce(apply, Buffer.from(seed)));

function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const children = Array.isArray(value)
    ? value.flatMap((item, index) => paths(item, [...prefix, index]))
    : value !== null && typeof value === 'object'
      ? Object.entries(value).flatMap(([key, item]) => paths(item, [...prefix, key]))
      : [];
  return [prefix, ...children];
}

function replaceAt(value: Json, path: readonly (string | number)[], replacement: Json): Json {
  const [head, ...rest] = path;
  if (head === undefined) return replacement;
  if (Array.isArray(value))
    return value.map((item, index) => (index === head ? replaceAt(item, rest, replacement) : item));
  if (value !== null && typeof value === 'object') {
    return { ...value, [head]: replaceAt(value[head as string] ?? null, rest, replacement) };
  }
  return value;
}

// Values that parsers trip on: out-of-range times, wrong types, emptiness, prototype names.
const EDGE_VALUES: Json[] = [
  1e300,
  -1,
  0,
  1.5,
  2 ** 53 + 1,
  '',
  ' ',
  '__proto__',
  'constructor',
  null,
  [],
  {},
  true,
  'x'.repeat(300),
];

/** One value inside a JSON seed swapped for another (then re-encoded as the vendor sends it): near-valid bodies. */
export const jsonMutation = (
  jsonSeeds: readonly string[],
  encode: (json: string) => Buffer = (json) => Buffer.from(json),
): fc.Arbitrary<Buffer> =>
  fc
    .tuple(fc.constantFrom(...jsonSeeds), fc.nat(), fc.oneof(fc.jsonValue(), fc.constantFrom(...EDGE_VALUES)))
    .map(([seed, pick, replacement]) => {
      const parsed = JSON.parse(seed) as Json;
      const all = paths(parsed);
      return encode(JSON.stringify(replaceAt(parsed, all[pick % all.length] ?? [], replacement as Json)));
    });

/** Bodies with no relation to the seeds. */
export const randomBody: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 600 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ unit: 'binary', maxLength: 300 }).map((text) => Buffer.from(text, 'utf8')),
  fc.jsonValue({ maxDepth: 4 }).map((value) => Buffer.from(JSON.stringify(value) ?? 'null')),
);
