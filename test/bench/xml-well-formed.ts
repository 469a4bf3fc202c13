/** One element of a parsed document. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
}

const NAME = '[A-Za-z_][\\w.:-]*';
const ATTRIBUTE = new RegExp(`\\s+(${NAME})\\s*=\\s*"([^"<]*)"`, 'y');
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;

/**
 * A strict little XML well-formedness check for the SVG tests (no parser package is installed): one
 * root, matched tags, quoted unique attributes, escaped `<` and `&`. Returns every element, in order.
 */
export function parseXml(text: string): XmlElement[] {
  const elements: XmlElement[] = [];
  const open: string[] = [];
  let roots = 0;
  let i = text.startsWith('<?xml') ? text.indexOf('?>') + 2 : 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    checkText(text.slice(i, lt === -1 ? text.length : lt), open.length > 0, i);
    if (lt === -1) break;
    if (text.startsWith('</', lt)) {
      const match = new RegExp(`</(${NAME})\\s*>`, 'y');
      match.lastIndex = lt;
      const closing = match.exec(text);
      if (closing === null) throw new Error(`bad closing tag at ${lt}`);
      const expected = open.pop();
      if (expected !== closing[1]) throw new Error(`</${closing[1]}> at ${lt} closes <${expected}>`);
      i = match.lastIndex;
      continue;
    }
    const start = new RegExp(`<(${NAME})`, 'y');
    start.lastIndex = lt;
    const tag = start.exec(text);
    if (tag === null) throw new Error(`bad tag at ${lt}`);
    const name = tag[1] as string;
    if (open.length === 0 && ++roots > 1) throw new Error(`second root element <${name}> at ${lt}`);
    const attributes: Record<string, string> = {};
    let at = start.lastIndex;
    for (;;) {
      ATTRIBUTE.lastIndex = at;
      const attribute = ATTRIBUTE.exec(text);
      if (attribute === null) break;
      const [, key, value] = attribute as unknown as [string, string, string];
      if (key in attributes) throw new Error(`duplicate attribute ${key} on <${name}>`);
      checkText(value, true, at);
      attributes[key] = value;
      at = ATTRIBUTE.lastIndex;
    }
    const end = /\s*(\/?)>/y;
    end.lastIndex = at;
    const close = end.exec(text);
    if (close === null) throw new Error(`unterminated <${name}> at ${lt}`);
    elements.push({ name, attributes });
    if (close[1] !== '/') open.push(name);
    i = end.lastIndex;
  }
  if (open.length > 0) throw new Error(`unclosed <${open.join('>, <')}>`);
  if (roots !== 1) throw new Error('no root element');
  return elements;
}

function checkText(text: string, inside: boolean, offset: number): void {
  if (!inside && text.trim() !== '') throw new Error(`text outside the root at ${offset}`);
  for (let amp = text.indexOf('&'); amp !== -1; amp = text.indexOf('&', amp + 1)) {
    ENTITY.lastIndex = amp;
    if (!ENTITY.test(text)) throw new Error(`unescaped & at ${offset + amp}`);
  }
  if (text.includes('>') && !inside) throw new Error(`stray > at ${offset}`);
}
