/** Case-insensitive text tests that ignore surrounding whitespace, compiled once, allocation-free per call. */

// toLowerCase() allocates a new string on every call and measured as the largest cost of evaluating a
// condition, so nothing here lower-cases the value: ASCII rule values compare character by character
// with ASCII case folding (a non-ASCII character never equals an ASCII one, as in a case-insensitive
// regular expression), and other rule values go through case-insensitive regular expressions.

export type TextOperator = 'equals' | 'startsWith' | 'endsWith' | 'contains';
export type TextTest = (text: string) => boolean;

const MAX_ALTERNATIVES = 16;

/** ECMAScript WhiteSpace and LineTerminator: what trim() and \s remove. */
function isWhitespace(code: number): boolean {
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  if (code < 160) return false;
  return (
    code === 160 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

function hasNonAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return true;
  return false;
}

function trimmedStart(text: string): number {
  let start = 0;
  while (start < text.length && isWhitespace(text.charCodeAt(start))) start++;
  return start;
}

function trimmedEnd(text: string): number {
  let end = text.length;
  while (end > 0 && isWhitespace(text.charCodeAt(end - 1))) end--;
  return end;
}

/** Whether text[from…] starts with `needle` (lower-case ASCII), folding ASCII upper case. */
function foldedAt(text: string, from: number, needle: string): boolean {
  for (let i = 0; i < needle.length; i++) {
    let code = text.charCodeAt(from + i);
    if (code >= 65 && code <= 90) code += 32;
    if (code !== needle.charCodeAt(i)) return false;
  }
  return true;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

const REGEX_AFFIXES: Readonly<Record<TextOperator, readonly [string, string]>> = {
  equals: ['^\\s*', '\\s*$'],
  startsWith: ['^\\s*', ''],
  endsWith: ['', '\\s*$'],
  contains: ['', ''],
};

function regexTest(operator: TextOperator, needles: readonly string[]): TextTest {
  const [prefix, suffix] = REGEX_AFFIXES[operator];
  const regex = new RegExp(`${prefix}(?:${needles.map(escapeRegExp).join('|')})${suffix}`, 'i');
  return (text) => regex.test(text);
}

function asciiTest(operator: 'equals' | 'startsWith' | 'endsWith', needles: readonly string[]): TextTest {
  switch (operator) {
    case 'equals':
      return (text) => {
        const start = trimmedStart(text);
        const length = trimmedEnd(text) - start;
        for (const needle of needles)
          if (needle.length === length && foldedAt(text, start, needle)) return true;
        return false;
      };
    case 'startsWith':
      return (text) => {
        const start = trimmedStart(text);
        for (const needle of needles) {
          if (start + needle.length <= text.length && foldedAt(text, start, needle)) return true;
        }
        return false;
      };
    case 'endsWith':
      return (text) => {
        const end = trimmedEnd(text);
        for (const needle of needles)
          if (end >= needle.length && foldedAt(text, end - needle.length, needle)) return true;
        return false;
      };
  }
}

/** A test of one operator against any of `values` (trimmed); "contains" searches natively, through a regex. */
export function compileTextTest(operator: TextOperator, values: readonly string[]): TextTest {
  const needles = values.map((value) => value.trim());
  if (operator === 'equals' && needles.length > MAX_ALTERNATIVES) {
    const set = new Set(needles.map((needle) => needle.toLowerCase()));
    return (text) => set.has(text.trim().toLowerCase());
  }
  if (operator === 'contains' || needles.some(hasNonAscii)) return regexTest(operator, needles);
  return asciiTest(
    operator,
    needles.map((needle) => needle.toLowerCase()),
  );
}
