import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExecStream, StreamHandlers, StreamingRunner } from '../hosts/runner';
import { Capture } from './capture';
import { PcapReader, type Packet } from './pcap';
import { pcapWriter } from './pcap-writer';

const dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-capture-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A "proxy" whose tcpdump sends the given packets, then stays up until stopped (or fails at once). */
function proxy(packets: readonly Packet[], fail?: string): StreamingRunner & { commands: string[] } {
  const commands: string[] = [];
  return {
    shell: 'posix',
    commands,
    run: () => Promise.reject(new Error('not used')),
    exec: () => Promise.reject(new Error('not used')),
    close: async () => {},
    execStream(line: string, h: StreamHandlers): ExecStream {
      commands.push(line);
      let end!: (code: number | null) => void;
      const done = new Promise<{ code: number | null }>((r) => (end = (code) => r({ code })));
      if (fail) {
        setTimeout(() => {
          h.onStderr?.(fail);
          end(1);
        }, 5);
      } else {
        const w = pcapWriter();
        const bytes = Buffer.concat([w.addSource(0, '', { linkType: 1, snaplen: 262144 })!, ...packets.map((p) => w.packet(0, p))]);
        setTimeout(() => h.onStdout(bytes.subarray(0, 30)), 5);
        setTimeout(() => h.onStdout(bytes.subarray(30)), 10);
      }
      return { done, stop: async () => end(143) };
    },
  };
}

const pkt = (sec: number, tag: number): Packet => ({ sec, nsec: 0, origLen: 60, data: Buffer.alloc(60, tag) });

describe('Capture', () => {
  it('merges the sources by time into one file and reports counts per source', async () => {
    const a = proxy([pkt(1, 1), pkt(3, 1)]);
    const b = proxy([pkt(2, 2), pkt(4, 2)]);
    const out = path.join(dir, 'merged.pcap');
    const cap = await Capture.start({ sources: [{ name: 'h1:dcod-br5', runner: a, device: 'dcod-br5' }, { name: 'h2:dcod-br5', runner: b, device: 'dcod-br5' }], filter: 'icmp', out, format: 'pcap', holdMs: 50 });
    await new Promise((r) => setTimeout(r, 100));
    const stats = await cap.stop();
    expect(stats).toMatchObject({ state: 'done', packets: 4, bytes: 240, sources: [{ name: 'h1:dcod-br5', packets: 2, state: 'ended' }, { name: 'h2:dcod-br5', packets: 2 }] });
    expect(new PcapReader().push(await readFile(out)).map((p) => [p.sec, p.data[0]])).toEqual([[1, 1], [2, 2], [3, 1], [4, 2]]);
    expect(a.commands[0]).toContain('-i dcod-br5 icmp');
  });

  it('keeps going when one source fails, and fails when all do, with tcpdump\'s words', async () => {
    const good = proxy([pkt(1, 1)]);
    const bad = proxy([], 'tcpdump: dcod-br5: No such device exists\n');
    const cap = await Capture.start({ sources: [{ name: 'h1', runner: good, device: 'dcod-br5' }, { name: 'h2', runner: bad, device: 'dcod-br5' }], out: path.join(dir, 'one.pcapng'), format: 'pcapng', holdMs: 10 });
    await new Promise((r) => setTimeout(r, 50));
    const stats = await cap.stop();
    expect(stats.state).toBe('done');
    expect(stats.sources[1]).toMatchObject({ state: 'failed', error: { code: 'COMMAND_FAILED', message: expect.stringContaining('No such device') } });

    const all = await Capture.start({ sources: [{ name: 'h2', runner: proxy([], 'tcpdump: bad filter\n'), device: 'x' }], out: path.join(dir, 'none.pcap'), format: 'pcap' });
    await new Promise((r) => setTimeout(r, 50));
    expect(await all.stop()).toMatchObject({ state: 'failed', error: { message: expect.stringContaining('bad filter') } });
  });

  it('stops by itself when the time is up', async () => {
    const cap = await Capture.start({ sources: [{ name: 'h1', runner: proxy([pkt(1, 1)]), device: 'd' }], out: path.join(dir, 'timed.pcap'), format: 'pcap', seconds: 0.1 });
    const stats = await new Promise<unknown>((resolve) => {
      const t = setInterval(() => {
        if (cap.stats().state !== 'capturing') {
          clearInterval(t);
          resolve(cap.stats());
        }
      }, 20);
    });
    expect(stats).toMatchObject({ state: 'done', packets: 1 });
  });
});
