// The dependency-free XML reader behind Salesforce Outbound Messages: the subset it reads, what it refuses.
import {
  XmlSyntaxError,
  decodeEntities,
  readXml,
  type XmlElement,
} from '../../../lib/events/sources/salesforce-xml';

describe('readXml', () => {
  it('reads elements, attributes and text with namespaces resolved', () => {
    const root = readXml(
      `<?xml version="1.0"?><a:root xmlns:a="urn:a" xmlns="urn:default" a:x='1' y="2"><child>hi</child><a:leaf/></a:root>`,
    );

    expect(root).toMatchObject({ name: 'a:root', local: 'root', namespace: 'urn:a', text: '' });
    expect(root.attributes).toEqual([
      { name: 'a:x', local: 'x', namespace: 'urn:a', value: '1' },
      { name: 'y', local: 'y', namespace: undefined, value: '2' },
    ]);
    expect(root.children.map((child) => [child.local, child.namespace, child.text])).toEqual([
      ['child', 'urn:default', 'hi'],
      ['leaf', 'urn:a', ''],
    ]);
  });

  it('scopes declarations to their element and lets xmlns="" undeclare the default', () => {
    const root = readXml('<r xmlns="urn:one"><p:a xmlns:p="urn:p"><b xmlns=""/></p:a><c/></r>');

    const [a, c] = root.children;
    expect(a?.namespace).toBe('urn:p');
    expect(a?.children[0]?.namespace).toBeUndefined();
    expect(c?.namespace).toBe('urn:one');
  });

  it('restores a shadowed prefix when the element that redeclared it closes, self-closing or not', () => {
    const root = readXml(
      '<p:r xmlns:p="urn:1"><p:a xmlns:p="urn:2"/><p:b xmlns:p="urn:3"><p:c/></p:b><p:d/></p:r>',
    );

    expect(root.children.map((child) => child.namespace)).toEqual(['urn:2', 'urn:3', 'urn:1']);
    expect(root.children[1]?.children[0]?.namespace).toBe('urn:3');
  });

  it('resolves every element under many prefixes declared at many levels', () => {
    const levels = Array.from({ length: 60 }, (_, level) =>
      Array.from({ length: 200 }, (_, i) => `xmlns:p${level}_${i}="urn:${level}:${i}"`).join(' '),
    );
    const leaves = Array.from({ length: 5_000 }, (_, i) => `<x:leaf xmlns:x="urn:leaf:${i}"/>`).join('');
    const root = readXml(
      levels.map((declarations) => `<p0_0:e ${declarations}>`).join('') +
        `<p59_199:inner>${leaves}</p59_199:inner>` +
        '</p0_0:e>'.repeat(levels.length),
    );

    const inner = levels.reduce<XmlElement | undefined>((element) => element?.children[0], root);
    expect(inner?.local).toBe('inner');
    expect(inner?.namespace).toBe('urn:59:199');
    expect(inner?.children).toHaveLength(5_000);
    expect(inner?.children[4_999]?.namespace).toBe('urn:leaf:4999');
  });

  it('decodes the five entities, decimal and hex references, and keeps CDATA verbatim', () => {
    const root = readXml('<r>&amp;&lt;&gt;&quot;&apos; &#65;&#x263A;&#x1F600; <![CDATA[<b>&amp;</b>]]></r>');
    expect(root.text).toBe(`&<>"' A\u263A\u{1F600} <b>&amp;</b>`);
  });

  it('decodes entities in attribute values', () => {
    expect(readXml('<r v="a &amp; b &#x3C;"/>').attributes[0]?.value).toBe('a & b <');
  });

  it('skips comments and processing instructions, normalizes line ends, drops a BOM', () => {
    const root = readXml(
      '\uFEFF<?xml version="1.0"?>\r\n<!-- c --><r><?pi data?>a\r\nb\rc<!-- <x> --></r>\n<!-- end -->',
    );
    expect(root.text).toBe('a\nb\nc');
    expect(root.children).toEqual([]);
  });

  it('joins text around child elements into the parent text', () => {
    const root = readXml('<r> one <c>two</c> three </r>');
    expect(root.text).toBe(' one  three ');
    expect(root.children[0]?.text).toBe('two');
  });
});

describe('readXml refuses', () => {
  it.each([
    [
      'a DTD (entity expansion, XXE)',
      '<!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;</r>',
      'DTDs and declarations are not supported',
    ],
    [
      'an external entity',
      '<!DOCTYPE r SYSTEM "file:///etc/passwd"><r/>',
      'DTDs and declarations are not supported',
    ],
    ['an undeclared entity', '<r>&nbsp;</r>', 'unknown entity reference'],
    ['a bare ampersand', '<r>fish & chips</r>', 'unterminated entity reference'],
    ['a reference to NUL', '<r>&#0;</r>', 'character reference to a disallowed character'],
    ['a reference to a surrogate', '<r>&#xD800;</r>', 'character reference to a disallowed character'],
    ['a reference beyond Unicode', '<r>&#x110000;</r>', 'character reference to a disallowed character'],
    ['a raw control character', '<r>\u0001</r>', 'character not allowed in XML'],
    ['mismatched tags', '<a><b></a></b>', 'mismatched end tag'],
    ['an unclosed element', '<a><b></b>', 'unclosed element'],
    ['a stray end tag', '</a>', 'mismatched end tag'],
    ['two roots', '<a/><b/>', 'more than one root element'],
    ['no root', '<!-- nothing -->', 'no root element'],
    ['an empty document', '', 'no root element'],
    ['text outside the root', '<a/>trailing', 'text outside the root element'],
    ['CDATA outside the root', '<![CDATA[x]]><a/>', 'CDATA outside the root element'],
    ['an unterminated comment', '<a><!-- </a>', 'unterminated comment'],
    ['an unterminated CDATA section', '<a><![CDATA[x</a>', 'unterminated CDATA section'],
    ['a late XML declaration', '<a/><?xml version="1.0"?>', 'XML declaration not at the start'],
    ['an unquoted attribute', '<a b=c/>', 'unquoted attribute value'],
    ['an attribute without value', '<a b/>', 'attribute without a value'],
    ['a duplicate attribute', '<a b="1" b="2"/>', 'duplicate attribute'],
    ['"<" in an attribute', '<a b="<"/>', '"<" in an attribute value'],
    ['attributes without whitespace', '<a b="1"c="2"/>', 'malformed start tag'],
    ['an unbound prefix', '<p:a/>', 'unbound namespace prefix'],
    ['an unbound attribute prefix', '<a p:b="1"/>', 'unbound namespace prefix'],
    [
      'a prefix declared only by a closed sibling',
      '<r><a xmlns:q="urn:q"/><q:b/></r>',
      'unbound namespace prefix',
    ],
    ['an emptied prefix', '<a xmlns:p=""/>', 'empty namespace for a prefix'],
    ['a malformed name', '<1a/>', 'malformed name'],
    ['a space after "<"', '< a/>', 'malformed name'],
    ['an unterminated attribute value', '<a b="1', 'unterminated attribute value'],
    ['an unterminated start tag', '<a b="1"', 'unterminated start tag'],
  ])('%s', (_case, document, reason) => {
    const read = () => readXml(document);
    expect(read).toThrow(XmlSyntaxError);
    expect(read).toThrow(reason);
  });

  it('more than 256 attributes on one element, and a duplicate after 255 distinct ones', () => {
    const attributes = (count: number) => Array.from({ length: count }, (_, i) => ` a${i}="v"`).join('');
    expect(readXml(`<r${attributes(256)}/>`).attributes).toHaveLength(256);
    expect(() => readXml(`<r${attributes(256)} a0="again"/>`)).toThrow('duplicate attribute');
    expect(() => readXml(`<r${attributes(255)} a254="again"/>`)).toThrow('duplicate attribute');
    expect(() => readXml(`<r${attributes(257)}/>`)).toThrow('too many attributes');
    expect(() => readXml(`<r${attributes(40_000)}/>`)).toThrow('too many attributes');
  });

  it('nesting deeper than 64 elements', () => {
    const deep = '<a>'.repeat(65) + '</a>'.repeat(65);
    expect(() => readXml(deep)).toThrow('elements nested too deeply');
    expect(readXml('<a>'.repeat(64) + '</a>'.repeat(64)).local).toBe('a');
  });

  it('never quotes the input in its messages', () => {
    expect(() => readXml('<a>&secret-token-123;</a>')).toThrow(/^(?!.*secret-token).*$/);
  });
});

describe('decodeEntities', () => {
  it('returns text without references untouched', () => {
    expect(decodeEntities('plain > text')).toBe('plain > text');
  });

  it('does not decode twice', () => {
    expect(decodeEntities('&amp;lt;')).toBe('&lt;');
  });
});
