/**
 * The `Key:   value` record lists most `VBoxManage list …` commands print (bridgedifs, hostonlyifs,
 * hostonlynets, natnets, dhcpservers, hdds, dvds, hostdvds, systemproperties, hostinfo, intnets, ostypes).
 *
 * What the captures show, and this reader allows for:
 * - records are usually separated by blank lines, but 7.x `list hostonlynets` puts a blank line INSIDE each
 *   record, so a record ends when its first key comes round again, not at a blank line;
 * - the key ends at the first colon (values hold colons: IPv6 addresses, `en1: Wi-Fi`, times), the value
 *   is trimmed, and may be missing (`IPV6Address:`) or glued to the colon (`…Floppy Controllers:1`);
 * - indented lines belong to the line above them (6.1 dhcpservers' "Global Configuration:" block, natnets'
 *   "loopback mappings (ipv4)" list), and a line without a colon is a key with an empty value;
 * - trailing whitespace-only lines and a missing final newline are common.
 */

export interface RecordField {
  readonly key: string;
  readonly value: string;
  /** Indented lines under this one. */
  readonly children: readonly RecordField[];
}

export interface VBoxRecord {
  readonly fields: readonly RecordField[];
  /** Top-level key → value. */
  readonly values: ReadonlyMap<string, string>;
}

interface MutableField {
  key: string;
  value: string;
  children: MutableField[];
}

function splitField(text: string): MutableField {
  const colon = text.indexOf(':');
  return colon < 0
    ? { key: text.trim(), value: '', children: [] }
    : { key: text.slice(0, colon).trim(), value: text.slice(colon + 1).trim(), children: [] };
}

export function parseRecords(text: string): VBoxRecord[] {
  const records: MutableField[][] = [];
  let current: MutableField[] | undefined;
  // Open fields by indentation, to hang indented lines under the right parent.
  let stack: { indent: number; field: MutableField }[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const indent = line.length - line.trimStart().length;
    const field = splitField(line);
    while (stack.length > 0 && stack.at(-1)!.indent >= indent) stack.pop();
    const parent = stack.at(-1)?.field;
    if (parent && indent > 0) {
      parent.children.push(field);
    } else {
      if (current === undefined || current[0]!.key === field.key) {
        current = [];
        records.push(current);
      }
      current.push(field);
      stack = [];
    }
    stack.push({ indent, field });
  }
  return records.map((fields) => ({ fields, values: new Map(fields.map((f) => [f.key, f.value])) }));
}

/** All top-level fields of all records in one map, for single-record outputs (systemproperties, hostinfo). */
export function mergedValues(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const r of parseRecords(text)) for (const [k, v] of r.values) values.set(k, v);
  return values;
}
