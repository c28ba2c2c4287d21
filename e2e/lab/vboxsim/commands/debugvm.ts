// `VBoxManage debugvm <vm> statistics [--pattern P] [--reset] [--descriptions]`: the VMM's STAM
// snapshot in XML, here limited to the network counters a 7.0 VM registers per adapter (device,
// IntNet driver and /Public/NetAdapter), filled from the guest's real interface counters.
import { plainFailure, syntaxError } from '../errors';
import { getopt, type OptDef } from '../getopt';
import { matchesPatterns } from '../guestprops';
import type { Machine, Nic } from '../machine';
import type { NicCounters } from '../runtime/runtime';
import { findMachine, site, type Ctx } from './context';

const OPTS: OptDef[] = [
  { name: '--pattern', id: 'pattern', kind: 'string' },
  { name: '--reset', id: 'reset', kind: 'none' },
  { name: '--descriptions', id: 'desc', kind: 'none' },
];

const FIND = site('VBoxManageDebugVM.cpp', 869, 'FindMachine(com::Bstr(pArgs->argv[0]).raw(), ptrMachine.asOutParam())');

/** PDM device names of the adapter types (pReg->szName). */
const DEVICE: Record<string, string> = {
  Am79C970A: 'pcnet', Am79C973: 'pcnet', Am79C960: 'pcnet', '82540EM': 'e1000', '82543GC': 'e1000', '82545EM': 'e1000', virtio: 'virtio-net',
};

interface Sample {
  name: string;
  xml: string;
  desc: string;
}

function counter(name: string, c: number, unit: string, desc: string): Sample {
  return { name, xml: `<Counter c="${c}" unit="${unit}" name="${name}"`, desc };
}

/** The samples of every enabled adapter; the IntNet driver only exists for bridged/intnet/host-only attachments. */
export function networkSamples(m: Machine, counters: readonly NicCounters[]): Sample[] {
  const out: Sample[] = [];
  const devInstance = new Map<string, number>();
  let intnetInstance = 0;
  m.nics.forEach((nic: Nic, i) => {
    if (!nic.enabled || i >= (m.chipset === 'ich9' ? 36 : 8)) return;
    const dev = DEVICE[nic.type] ?? 'e1000';
    const inst = devInstance.get(dev) ?? 0;
    devInstance.set(dev, inst + 1);
    const c = counters.find((x) => x.slot === i + 1) ?? { slot: i + 1, rxBytes: 0, txBytes: 0, rxPackets: 0, txPackets: 0 };
    out.push(counter(`/Devices/${dev}#${inst}/ReceiveBytes`, c.rxBytes, 'bytes', 'Amount of data received'));
    out.push(counter(`/Devices/${dev}#${inst}/TransmitBytes`, c.txBytes, 'bytes', 'Amount of data transmitted'));
    out.push(counter(`/Public/NetAdapter/${i}/BytesReceived`, c.rxBytes, 'bytes', 'Amount of data received'));
    out.push(counter(`/Public/NetAdapter/${i}/BytesTransmitted`, c.txBytes, 'bytes', 'Amount of data transmitted'));
    out.push({ name: `/Public/NetAdapter/${i}/${dev}`, xml: `<U32 val="${inst}" unit="" name="/Public/NetAdapter/${i}/${dev}"`, desc: 'Device instance number' });
    if (['bridged', 'intnet', 'hostonly'].includes(nic.attachment)) {
      const d = `/Drivers/IntNet-${intnetInstance++}`;
      out.push(counter(`${d}/Bytes/Received`, c.rxBytes, 'bytes', 'Number of received bytes.'));
      out.push(counter(`${d}/Bytes/Sent`, c.txBytes, 'bytes', 'Number of sent bytes.'));
      out.push(counter(`${d}/Packets/Received`, c.rxPackets, 'count', 'Number of received packets.'));
      out.push(counter(`${d}/Packets/Sent`, c.txPackets, 'count', 'Number of sent packets.'));
    }
  });
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** STAMR3Snapshot's XML; VBoxManage prints it followed by one more newline. */
export function formatStatistics(samples: readonly Sample[], withDescriptions: boolean): string {
  const body = samples.map((s) => `${s.xml}${withDescriptions ? ` desc="${s.desc}"` : ''}/>\n`).join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<Statistics>\n${body}</Statistics>\n`;
}

export function debugvm(args: string[], ctx: Ctx): void {
  const v = ctx.config.version;
  if (args.length < 2) throw syntaxError(v, 'Too few parameters');
  const [vm, sub, ...rest] = args as [string, string, ...string[]];
  const m = findMachine(ctx, vm, FIND);
  if (!m.running) throw plainFailure(`Machine '${vm}' is not currently running.\n`);
  if (sub !== 'statistics') throw syntaxError(v, `Unknown subcommand: ${sub}`);
  let pattern: string | undefined;
  let desc = false;
  for (const r of getopt(rest, OPTS)) {
    if (r.type === 'error') throw syntaxError(v, r.message);
    if (r.type === 'arg') throw syntaxError(v, `Invalid parameter '${r.value}'`);
    if (r.id === 'pattern') {
      if (pattern !== undefined) throw syntaxError(v, 'Multiple --pattern options are not permitted');
      pattern = String(r.value);
    }
    if (r.id === 'desc') desc = true;
  }
  const samples = networkSamples(m, ctx.runtime.counters(m)).filter((s) => pattern === undefined || matchesPatterns(s.name, [pattern]));
  ctx.out(`${formatStatistics(samples, desc)}\n`);
}
