/** A small dependency-free XML reader for Salesforce SOAP: elements, attributes, namespaces and text only. */

/**
 * Not well-formed, or outside the subset we read. Messages never quote the input. There is no DTD support
 * (no `<!DOCTYPE`, no custom entities), which is also what keeps XXE and entity-expansion attacks out.
 */
export class XmlSyntaxError extends Error {
  override readonly name = 'XmlSyntaxError';
}

export interface XmlAttribute {
  readonly name: string;
  readonly local: string;
  readonly namespace: string | undefined;
  readonly value: string;
}

export interface XmlElement {
  readonly name: string;
  readonly local: string;
  readonly namespace: string | undefined;
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlElement[];
  /** The element's own character data (text and CDATA sections), entities decoded. */
  readonly text: string;
}

export const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';
const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const MAX_DEPTH = 64;
/** Far above the handful a SOAP element carries: a tag with more is not a message, so it is refused early. */
const MAX_ATTRIBUTES = 256;

const NAME = /[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?/y;
const WHITESPACE = /[ \t\n]*/y;
// eslint-disable-next-line no-control-regex -- matching the control characters XML forbids is the point
const NOT_XML_CHAR = /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

interface Frame {
  readonly name: string;
  readonly local: string;
  readonly namespace: string | undefined;
  readonly attributes: XmlAttribute[];
  readonly children: XmlElement[];
  readonly text: string[];
  /** The prefixes this element declared, undeclared again when it closes. */
  readonly declared: readonly string[];
}

/**
 * The namespaces in scope: each prefix's declarations, innermost last (`''` is the default namespace, which
 * an empty value undeclares). One map updated as elements open and close: a copy per declaring element would
 * cost the number of prefixes in scope each time, which a body can make quadratic.
 */
type Bindings = Map<string, string[]>;

/** Reads one XML document into its root element. Throws XmlSyntaxError. */
export function readXml(document: string): XmlElement {
  const input = (document.startsWith('\uFEFF') ? document.slice(1) : document).replace(/\r\n?/g, '\n');
  if (NOT_XML_CHAR.test(input)) throw new XmlSyntaxError('character not allowed in XML');
  const stack: Frame[] = [];
  const bindings: Bindings = new Map();
  let root: XmlElement | undefined;
  let pos = 0;
  while (pos < input.length) {
    const lt = input.indexOf('<', pos);
    const textEnd = lt === -1 ? input.length : lt;
    if (textEnd > pos) addText(stack, input.slice(pos, textEnd), true);
    if (lt === -1) break;
    if (input.startsWith('<!--', lt)) {
      pos = endOf(input, '-->', lt + 4, 'unterminated comment');
    } else if (input.startsWith('<![CDATA[', lt)) {
      if (stack.length === 0) throw new XmlSyntaxError('CDATA outside the root element');
      const end = endOf(input, ']]>', lt + 9, 'unterminated CDATA section');
      addText(stack, input.slice(lt + 9, end - 3), false);
      pos = end;
    } else if (input.startsWith('<!', lt)) {
      throw new XmlSyntaxError('DTDs and declarations are not supported');
    } else if (input.startsWith('<?', lt)) {
      const isDeclaration = /^<\?xml[ \t\n?]/i.test(input.slice(lt, lt + 6));
      if (isDeclaration && lt !== 0) throw new XmlSyntaxError('XML declaration not at the start');
      pos = endOf(input, '?>', lt + 2, 'unterminated processing instruction');
    } else if (input.startsWith('</', lt)) {
      const name = readName(input, lt + 2);
      const close = skipWhitespace(input, lt + 2 + name.length);
      if (input[close] !== '>') throw new XmlSyntaxError('malformed end tag');
      const frame = stack.pop();
      if (frame === undefined || frame.name !== name) throw new XmlSyntaxError('mismatched end tag');
      undeclare(frame.declared, bindings);
      const element = toElement(frame);
      if (stack.length === 0) root = element;
      else stack[stack.length - 1]?.children.push(element);
      pos = close + 1;
    } else {
      if (root !== undefined) throw new XmlSyntaxError('more than one root element');
      const { frame, end, selfClosing } = readStartTag(input, lt + 1, bindings);
      if (selfClosing) {
        undeclare(frame.declared, bindings);
        const element = toElement(frame);
        if (stack.length === 0) root = element;
        else stack[stack.length - 1]?.children.push(element);
      } else {
        if (stack.length >= MAX_DEPTH) throw new XmlSyntaxError('elements nested too deeply');
        stack.push(frame);
      }
      pos = end;
    }
  }
  if (stack.length > 0) throw new XmlSyntaxError('unclosed element');
  if (root === undefined) throw new XmlSyntaxError('no root element');
  return root;
}

function readStartTag(
  input: string,
  from: number,
  bindings: Bindings,
): { frame: Frame; end: number; selfClosing: boolean } {
  const name = readName(input, from);
  let pos = from + name.length;
  const raw: { name: string; value: string }[] = [];
  // A Set, not a scan of `raw`: a scan per attribute is quadratic in the attributes of one tag.
  const seen = new Set<string>();
  for (;;) {
    const afterSpace = skipWhitespace(input, pos);
    if (input.startsWith('/>', afterSpace) || input[afterSpace] === '>') {
      pos = afterSpace;
      break;
    }
    if (afterSpace >= input.length) throw new XmlSyntaxError('unterminated start tag');
    if (afterSpace === pos) throw new XmlSyntaxError('malformed start tag');
    const attributeName = readName(input, afterSpace);
    let cursor = skipWhitespace(input, afterSpace + attributeName.length);
    if (input[cursor] !== '=') throw new XmlSyntaxError('attribute without a value');
    cursor = skipWhitespace(input, cursor + 1);
    const quote = input[cursor];
    if (quote !== '"' && quote !== "'") throw new XmlSyntaxError('unquoted attribute value');
    const close = input.indexOf(quote, cursor + 1);
    if (close === -1) throw new XmlSyntaxError('unterminated attribute value');
    const value = input.slice(cursor + 1, close);
    if (value.includes('<')) throw new XmlSyntaxError('"<" in an attribute value');
    if (seen.has(attributeName)) throw new XmlSyntaxError('duplicate attribute');
    if (seen.size === MAX_ATTRIBUTES) throw new XmlSyntaxError('too many attributes');
    seen.add(attributeName);
    raw.push({ name: attributeName, value: decodeEntities(value) });
    pos = close + 1;
  }
  const selfClosing = input[pos] === '/';
  const declared = declareNamespaces(raw, bindings);
  const attributes = raw
    .filter((attribute) => attribute.name !== 'xmlns' && !attribute.name.startsWith('xmlns:'))
    .map(({ name: qualified, value }) => {
      const [prefix, local] = split(qualified);
      const namespace = prefix === '' ? undefined : resolve(prefix, bindings);
      return { name: qualified, local, namespace, value };
    });
  const [prefix, local] = split(name);
  const namespace = prefix === '' ? defaultNamespace(bindings) : resolve(prefix, bindings);
  const frame: Frame = { name, local, namespace, attributes, children: [], text: [], declared };
  return { frame, end: pos + (selfClosing ? 2 : 1), selfClosing };
}

/** Adds the tag's `xmlns` declarations to the bindings and returns their prefixes. */
function declareNamespaces(
  attributes: readonly { name: string; value: string }[],
  bindings: Bindings,
): string[] {
  const declared: string[] = [];
  for (const { name, value } of attributes) {
    if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
    const prefix = name === 'xmlns' ? '' : name.slice('xmlns:'.length);
    if (prefix !== '' && value === '') throw new XmlSyntaxError('empty namespace for a prefix');
    const values = bindings.get(prefix);
    if (values === undefined) bindings.set(prefix, [value]);
    else values.push(value);
    declared.push(prefix);
  }
  return declared;
}

function undeclare(prefixes: readonly string[], bindings: Bindings): void {
  for (const prefix of prefixes) bindings.get(prefix)?.pop();
}

function defaultNamespace(bindings: Bindings): string | undefined {
  const namespace = bindings.get('')?.at(-1);
  return namespace === '' ? undefined : namespace;
}

function resolve(prefix: string, bindings: Bindings): string {
  if (prefix === 'xml') return XML_NAMESPACE;
  const namespace = bindings.get(prefix)?.at(-1);
  if (namespace === undefined) throw new XmlSyntaxError('unbound namespace prefix');
  return namespace;
}

function split(qualified: string): [prefix: string, local: string] {
  const colon = qualified.indexOf(':');
  return colon === -1 ? ['', qualified] : [qualified.slice(0, colon), qualified.slice(colon + 1)];
}

function toElement(frame: Frame): XmlElement {
  const { name, local, namespace, attributes, children } = frame;
  return { name, local, namespace, attributes, children, text: frame.text.join('') };
}

function addText(stack: readonly Frame[], raw: string, decode: boolean): void {
  const frame = stack[stack.length - 1];
  if (frame === undefined) {
    if (raw.trim() !== '') throw new XmlSyntaxError('text outside the root element');
    return;
  }
  frame.text.push(decode ? decodeEntities(raw) : raw);
}

function readName(input: string, at: number): string {
  NAME.lastIndex = at;
  const match = NAME.exec(input);
  if (match === null) throw new XmlSyntaxError('malformed name');
  return match[0];
}

function skipWhitespace(input: string, at: number): number {
  WHITESPACE.lastIndex = at;
  WHITESPACE.exec(input);
  return WHITESPACE.lastIndex;
}

function endOf(input: string, terminator: string, from: number, problem: string): number {
  const at = input.indexOf(terminator, from);
  if (at === -1) throw new XmlSyntaxError(problem);
  return at + terminator.length;
}

/** The five predefined entities and character references; anything else is an error. */
export function decodeEntities(raw: string): string {
  let amp = raw.indexOf('&');
  if (amp === -1) return raw;
  let decoded = '';
  let from = 0;
  while (amp !== -1) {
    const semicolon = raw.indexOf(';', amp + 1);
    if (semicolon === -1 || semicolon - amp > 12) throw new XmlSyntaxError('unterminated entity reference');
    decoded += raw.slice(from, amp) + entity(raw.slice(amp + 1, semicolon));
    from = semicolon + 1;
    amp = raw.indexOf('&', from);
  }
  return decoded + raw.slice(from);
}

function entity(body: string): string {
  const named = Object.hasOwn(NAMED_ENTITIES, body) ? NAMED_ENTITIES[body] : undefined;
  if (named !== undefined) return named;
  const numeric = /^#(?:([0-9]{1,7})|x([0-9A-Fa-f]{1,6}))$/.exec(body);
  if (numeric === null) throw new XmlSyntaxError('unknown entity reference');
  const codePoint = numeric[1] !== undefined ? Number(numeric[1]) : parseInt(numeric[2] ?? '', 16);
  if (!isXmlChar(codePoint)) throw new XmlSyntaxError('character reference to a disallowed character');
  return String.fromCodePoint(codePoint);
}

function isXmlChar(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}
