/**
 * The `key=value` format of `showvminfo --machinereadable` and `snapshot list --machinereadable`.
 *
 * What VirtualBox actually prints, all of it seen in real captures:
 * - `name="value"`, `"quoted key"="value"` (names with `=` or odd characters, e.g. `"SATA-0-0"`), and bare
 *   values (`memory=1024`, `vrdeproperty[X]=<not set>`, `GuestAdditionsFacility_Seamless Mode=0,157…`).
 * - In a quoted name or value `\"` and `\\` are escapes (VirtualBox 5+ escapes both), but some fields are
 *   printed raw (7.2's `uartmode1="file,G:\PleiadesLab\…"`), so a backslash before anything else is kept.
 * - Newlines in values (descriptions) are not escaped: a value whose opening quote is not closed on its
 *   line continues on the next ones.
 * - Text after the closing quote (`VideoMode="720,400,0"@0,0 1`) is kept as `trailer`.
 * - Versions without escaping print inner quotes raw, so the value ends at the LAST unescaped quote of
 *   the line.
 * - Human-format lines leak in (7.0.0 prints `Encryption:     disabled`); they are kept as `colon` entries.
 * - 4.2 printed `Time offset=0` without its newline, gluing the next line on (`Time offset=0rtcuseutc="on"`);
 *   a bare number followed by `key=` is split back into two entries.
 * - Lines that are none of these (7.x's ` rec_screen0` header, a truncated capture's last line) are kept
 *   in `stray` rather than guessed at.
 */

export interface MachineReadableEntry {
  readonly key: string;
  readonly value: string;
  /** How the value was written: `"quoted"`, bare, or a leaked human `Key: value` line. */
  readonly form: 'quoted' | 'bare' | 'colon';
  /** Text after the closing quote of a quoted value, if any. */
  readonly trailer?: string;
  /** 1-based line where the entry starts. */
  readonly line: number;
}

export interface MachineReadable {
  readonly entries: readonly MachineReadableEntry[];
  /** Key → value; when a key repeats, the last one wins (all of them stay in `entries`). */
  readonly values: ReadonlyMap<string, string>;
  readonly stray: readonly { readonly line: number; readonly text: string }[];
}

interface QuotedScan {
  readonly text: string;
  /** Index in `line` just after the closing quote, or -1 when the line has no closing quote. */
  readonly end: number;
}

/**
 * Reads a quoted string starting after its opening quote at `from`. With `lastQuote`, the string closes
 * at the last unescaped quote of the line (values); otherwise at the first (names).
 */
function scanQuoted(line: string, from: number, lastQuote: boolean): QuotedScan {
  let text = '';
  let closeText = -1;
  let closeEnd = -1;
  for (let i = from; i < line.length; i++) {
    const ch = line[i]!;
    const next = line[i + 1];
    if (ch === '\\' && (next === '"' || next === '\\')) {
      text += next;
      i++;
    } else if (ch === '"') {
      closeText = text.length;
      closeEnd = i + 1;
      if (!lastQuote) break;
      text += ch;
    } else {
      text += ch;
    }
  }
  return closeEnd < 0 ? { text, end: -1 } : { text: text.slice(0, closeText), end: closeEnd };
}

const GLUED_AFTER_NUMBER = /^(-?\d+)([A-Za-z"][^=]*=.*)$/;
const COLON_LINE = /^([A-Za-z][\w .-]*?):\s*(.*)$/;

export function parseMachineReadable(text: string): MachineReadable {
  const lines = text.split(/\r?\n/);
  const entries: MachineReadableEntry[] = [];
  const stray: { line: number; text: string }[] = [];

  const parseLine = (index: number, line: string): number => {
    const lineNo = index + 1;
    let key: string;
    let rest: string;
    if (line.startsWith('"')) {
      const name = scanQuoted(line, 1, false);
      if (name.end < 0 || line[name.end] !== '=') {
        stray.push({ line: lineNo, text: line });
        return index;
      }
      key = name.text;
      rest = line.slice(name.end + 1);
    } else {
      const eq = line.indexOf('=');
      if (eq <= 0) {
        const colon = COLON_LINE.exec(line);
        if (colon) entries.push({ key: colon[1]!, value: colon[2]!, form: 'colon', line: lineNo });
        else stray.push({ line: lineNo, text: line });
        return index;
      }
      key = line.slice(0, eq);
      rest = line.slice(eq + 1);
    }

    if (!rest.startsWith('"')) {
      const glued = GLUED_AFTER_NUMBER.exec(rest);
      entries.push({ key, value: glued ? glued[1]! : rest, form: 'bare', line: lineNo });
      return glued ? parseLine(index, glued[2]!) : index;
    }

    // A quoted value may run over several lines; it ends on the first line holding an unescaped quote.
    let value = '';
    let current = rest;
    let from = 1;
    let at = index;
    for (;;) {
      const scan = scanQuoted(current, from, true);
      if (scan.end >= 0) {
        value += scan.text;
        const trailer = current.slice(scan.end);
        entries.push(trailer === '' ? { key, value, form: 'quoted', line: lineNo } : { key, value, form: 'quoted', trailer, line: lineNo });
        return at;
      }
      if (at + 1 >= lines.length) {
        // Unterminated at the end of the text: a truncated capture. Keep what there is.
        entries.push({ key, value: value + scan.text, form: 'quoted', line: lineNo });
        return at;
      }
      value += `${scan.text}\n`;
      at++;
      current = lines[at]!;
      from = 0;
    }
  };

  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() === '') continue;
    i = parseLine(i, lines[i]!);
  }

  const values = new Map<string, string>();
  for (const e of entries) values.set(e.key, e.value);
  return { entries, values, stray };
}
