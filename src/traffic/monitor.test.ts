import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DcodError } from '../errors';
import type { ExecStream, StreamHandlers, StreamingRunner } from '../hosts/runner';
import { TrafficMonitor } from './monitor';
import type { TrafficTargets } from './targets';

/** A runner whose streams the test writes to by hand. */
class ScriptedRunner implements StreamingRunner {
  readonly shell = 'posix' as const;
  readonly streams: { handlers: StreamHandlers; end: (r: { code: number | null } | Error) => void }[] = [];
  run(): never {
    throw new Error('not used');
  }
  exec(): never {
    throw new Error('not used');
  }
  async close(): Promise<void> {}
  execStream(_line: string, handlers: StreamHandlers): ExecStream {
    let end!: (r: { code: number | null } | Error) => void;
    const done = new Promise<{ code: number | null }>((resolve, reject) => (end = (r) => (r instanceof Error ? reject(r) : resolve(r))));
    this.streams.push({ handlers, end });
    return { done, stop: async () => end({ code: 0 }) };
  }
  write(text: string, stream = this.streams.at(-1)!): void {
    stream.handlers.onStdout(Buffer.from(text));
  }
}

const xml = (rx: number, tx: number) =>
  `<Statistics>\n<Counter c="${rx}" unit="bytes" name="/Public/NetAdapter/0/BytesReceived"/>\n<Counter c="${tx}" unit="bytes" name="/Public/NetAdapter/0/BytesTransmitted"/>\n</Statistics>\n`;
const hostFrame = (up: number, rx: number, tx: number) => `T ${up}\nV u-a\n${xml(rx, tx)}.\n`;
const proxyFrame = (up: number, vxTx: number, drops: number) =>
  `T ${up}\nD dcod-br100: 0 0 0 ${drops} 0 0 0 0 0 0 0 0 0 0 0 0\nD dcod-vx100: 0 0 0 0 0 0 0 0 ${vxTx} ${vxTx / 1000} 0 0 0 0 0 0\nD nic2: ${vxTx} ${vxTx / 1000} 0 0 0 0 0 0 0 0 0 0 0 0 0 0\nP 5: nic2@if6: <UP> mtu 1450 master dcod-br100 state UP\nP 7: dcod-vx100: <UP> mtu 1450 master dcod-br100 state UNKNOWN\n.\n`;

const targets: TrafficTargets = {
  datacenter: 'dc',
  switches: [{ vni: 100, name: 'front' }],
  nics: [{ uuid: 'u-a', vm: 'a', host: 'h1', slot: 1, vni: 100 }],
  samplers: [
    { id: 'host:h1', kind: 'host', host: 'h1', spec: { devicePrefixes: [], vms: ['u-a'], vboxmanage: 'VBoxManage', intervalS: 1 } },
    { id: 'proxy:h1', kind: 'proxy', host: 'h1', spec: { devicePrefixes: ['dcod-'], masterPrefix: 'dcod-', vms: [], vboxmanage: 'VBoxManage', intervalS: 1 } },
  ],
};

let clock = 0;
const hostRunner = new ScriptedRunner();
const proxyRunner = new ScriptedRunner();
let monitor: TrafficMonitor;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  clock = 1_000_000;
  monitor = new TrafficMonitor({
    runnerFor: async (t) => (t.kind === 'host' ? hostRunner : proxyRunner),
    naming: { bridge: (v) => `dcod-br${v}`, vxlan: (v) => `dcod-vx${v}`, prefix: 'dcod-' },
    now: () => clock,
    backoffMs: 5,
  });
  await monitor.setTargets(targets);
  await vi.waitFor(() => expect(hostRunner.streams.length && proxyRunner.streams.length).toBeTruthy());
});
afterEach(async () => {
  await monitor.stop();
  hostRunner.streams.length = 0;
  proxyRunner.streams.length = 0;
  vi.useRealTimers();
});

describe('TrafficMonitor', () => {
  it('turns frames into per-second rates of VM NICs and proxy devices, and records them', () => {
    hostRunner.write(hostFrame(100, 0, 0));
    proxyRunner.write(proxyFrame(50, 0, 0));
    clock += 1000;
    hostRunner.write(hostFrame(102, 4000, 2_000_000));
    proxyRunner.write(proxyFrame(51, 990_000, 3));
    const s = monitor.tick();
    expect(s.nics).toEqual([{ vm: 'a', host: 'h1', slot: 1, vni: 100, switch: 'front', rxBytes: 2000, txBytes: 1_000_000 }]);
    expect(s.vnis[0]).toMatchObject({ vni: 100, bytes: 1_000_000, packets: 990, drops: 3, hosts: [{ host: 'h1', bytesToRemote: 990_000 }] });
    expect(s.sources.map((x) => [x.id, x.state])).toEqual([
      ['host:h1', 'streaming'],
      ['proxy:h1', 'streaming'],
    ]);
    const h = monitor.history(100, 60);
    expect(h.t).toEqual([clock]);
    expect(h.hosts).toEqual([{ host: 'h1', bytesIn: [1_000_000], bytesOut: [2000], packetsIn: [990], packetsOut: [0], drops: [3], errors: [0] }]);
  });

  it('drops rates that are no longer fresh, and shows a reboot as a gap in the history', () => {
    hostRunner.write(hostFrame(100, 0, 0));
    clock += 1000;
    hostRunner.write(hostFrame(101, 0, 500));
    expect(monitor.tick().nics).toHaveLength(1);
    clock += 10_000;
    expect(monitor.tick().nics).toHaveLength(0);
    hostRunner.write(hostFrame(3, 0, 100)); // rebooted: uptime went down
    clock += 1000;
    monitor.tick();
    hostRunner.write(hostFrame(4, 0, 300));
    clock += 1000;
    monitor.tick();
    expect(monitor.history(100, 60).hosts[0]!.bytesIn).toEqual([500, null, null, 200]);
  });

  it('starts a sampler again after its stream dies, and says why meanwhile', async () => {
    const first = hostRunner.streams.length;
    hostRunner.streams.at(-1)!.end(new DcodError('HOST_UNREACHABLE', 'h1: the connection dropped while the command was streaming'));
    await vi.waitFor(() => expect(monitor.tick().sources[0]).toMatchObject({ state: 'failed', error: { code: 'HOST_UNREACHABLE' } }));
    await vi.waitFor(() => expect(hostRunner.streams.length).toBe(first + 1));
    hostRunner.write(hostFrame(200, 0, 0));
    expect(monitor.tick().sources[0]!.state).toBe('streaming');
  });
});
