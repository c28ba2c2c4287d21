// A minimal XML reader/writer for OVF descriptors: elements, attributes, text, comments and the
// XML declaration. No DTDs, no entities beyond the five predefined ones and numeric references.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e.toLowerCase()] as string;
  });
}

/** Parses a document and returns its root element; throws on malformed input. */
export function parseXml(src: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const fail = (what: string): never => {
    throw new Error(`XML: ${what} at offset ${i}`);
  };
  while (i < src.length) {
    if (src.startsWith('<?', i)) {
      const end = src.indexOf('?>', i);
      if (end < 0) fail('unterminated declaration');
      i = end + 2;
    } else if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i);
      if (end < 0) fail('unterminated comment');
      i = end + 3;
    } else if (src.startsWith('</', i)) {
      const end = src.indexOf('>', i);
      const name = src.slice(i + 2, end).trim();
      const top = stack.pop();
      if (!top || top.name !== name) fail(`mismatched </${name}>`);
      i = end + 1;
    } else if (src[i] === '<') {
      const m = /^<([^\s/>]+)/.exec(src.slice(i));
      if (!m) fail('bad tag');
      const el: XmlElement = { name: (m as RegExpExecArray)[1] as string, attrs: {}, children: [], text: '' };
      i += (m as RegExpExecArray)[0].length;
      const attrRe = /^\s*([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/;
      for (;;) {
        const a = attrRe.exec(src.slice(i));
        if (!a) break;
        el.attrs[a[1] as string] = unescapeXml(a[3] ?? a[4] ?? '');
        i += a[0].length;
      }
      const close = /^\s*(\/?)>/.exec(src.slice(i));
      if (!close) fail(`bad tag <${el.name}>`);
      i += (close as RegExpExecArray)[0].length;
      const parent = stack.at(-1);
      if (parent) parent.children.push(el);
      else if (!root) root = el;
      else fail('second root element');
      if (!(close as RegExpExecArray)[1]) stack.push(el);
    } else {
      const end = src.indexOf('<', i);
      const text = src.slice(i, end < 0 ? src.length : end);
      const top = stack.at(-1);
      if (top) top.text += unescapeXml(text);
      else if (text.trim()) fail('text outside the root');
      i = end < 0 ? src.length : end;
    }
  }
  if (!root || stack.length) fail('unterminated document');
  return root as XmlElement;
}

/** Local name without namespace prefix. */
export function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => localName(c.name) === name);
}

export function children(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => localName(c.name) === name);
}

/** An attribute by local name (`ovf:href` and `href` both match "href"). */
export function attr(el: XmlElement, name: string): string | undefined {
  for (const [k, v] of Object.entries(el.attrs)) if (localName(k) === name) return v;
  return undefined;
}
