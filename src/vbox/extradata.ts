/**
 * `getextradata <vm|global> enumerate`: one `Key: <key>, Value: <value>` line per item. Keys are
 * VirtualBox-chosen paths (`HostOnly/{guid}/IPAddress`) or ours; a key never holds ", Value: ".
 */

export interface ExtraDataItem {
  readonly key: string;
  readonly value: string;
}

const LINE = /^Key: (.*?), Value: (.*)$/;

export function parseExtraDataEnumerate(text: string): ExtraDataItem[] {
  const items: ExtraDataItem[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = LINE.exec(line);
    if (m) items.push({ key: m[1]!, value: m[2]! });
  }
  return items;
}
