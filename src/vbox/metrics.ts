/**
 * `VBoxManage metrics query [host|<vm>] [metric list]`: a table
 *
 *     Object     Metric               Values
 *     ---------- -------------------- --------------------------------------------
 *     Win_VM1    Guest/RAM/Usage/Free 1371184 kB
 *
 * printed with fixed widths that long cells overflow (`Guest/CPU/Load/Kernel` is 21 characters in a
 * 20-wide column), and VM names may hold spaces. So a row is split at its metric, found by its known
 * top-level names, not at the header's columns. Values are one or more `number unit` separated by ", ".
 */

export interface MetricSample {
  readonly value: number;
  /** `%`, `kB`, `MB`, `B/s`, `MHz`, … or '' for a plain count. */
  readonly unit: string;
}

export interface MetricRow {
  /** `host` or the VM name. */
  readonly object: string;
  /** e.g. `Guest/CPU/Load/Kernel`, `Net/eth0/Rate/Rx`. */
  readonly metric: string;
  readonly samples: readonly MetricSample[];
}

const ROW = /^(.+?)\s+((?:CPU|RAM|Net|Disk|Guest|FS)\/\S+)\s+(.*)$/;
const SAMPLE = /^(-?\d+(?:\.\d+)?)\s*(.*)$/;

export function parseMetricsQuery(text: string): MetricRow[] {
  const rows: MetricRow[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^(Object\s|-+\s)/.test(line)) continue;
    const m = ROW.exec(line.trimEnd());
    if (!m) continue;
    const samples = m[3]!
      .split(',')
      .map((s) => SAMPLE.exec(s.trim()))
      .filter((s): s is RegExpExecArray => s !== null)
      .map((s) => ({ value: Number(s[1]), unit: s[2]! }));
    rows.push({ object: m[1]!.trim(), metric: m[2]!, samples });
  }
  return rows;
}
