/** Converters for the text values VBoxManage prints, shared by the parsers of this folder. */

/** A decimal integer at the start of the text (`65536 MBytes` → 65536), or undefined. */
export function int(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number.parseInt(value, 10);
  return Number.isNaN(n) ? undefined : n;
}

/** VBoxManage's many spellings of a yes/no: on/off, yes/no, true/false, enabled/disabled, Up/Down. */
export function flag(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  return /^(yes|on|true|enabled|up)$/i.test(value);
}

/** The object without its undefined properties, so optional fields are absent rather than undefined. */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
