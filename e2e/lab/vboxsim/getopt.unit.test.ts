import { describe, expect, it } from 'vitest';
import { getopt, parseBool, type OptDef } from './getopt';

const DEFS: OptDef[] = [
  { name: '--name', id: 'name', kind: 'string' },
  { name: '--memory', id: 'memory', kind: 'uint32' },
  { name: '--ioapic', id: 'ioapic', kind: 'onoff' },
  { name: '--nic', id: 'nic', kind: 'string', indexed: true },
  { name: '--nictype', id: 'nictype', kind: 'string', indexed: true },
  { name: '--uuid', id: 'uuid', kind: 'uuid' },
  { name: 'disk', id: 'disk', kind: 'none' },
];

describe('getopt (RTGetOpt)', () => {
  it('takes values after a blank, "=" or ":", and operands in any order', () => {
    expect(getopt(['vm', '--name', 'a', '--memory=512', '--ioapic:on', 'x'], DEFS)).toEqual([
      { type: 'arg', value: 'vm' },
      { type: 'opt', id: 'name', name: '--name', value: 'a', index: 0 },
      { type: 'opt', id: 'memory', name: '--memory', value: 512, index: 0 },
      { type: 'opt', id: 'ioapic', name: '--ioapic', value: true, index: 0 },
      { type: 'arg', value: 'x' },
    ]);
  });

  it('reads indexed options such as --nic3 without confusing --nictype3', () => {
    expect(getopt(['--nic3', 'intnet', '--nictype3', 'virtio'], DEFS)).toEqual([
      { type: 'opt', id: 'nic', name: '--nic', value: 'intnet', index: 3 },
      { type: 'opt', id: 'nictype', name: '--nictype', value: 'virtio', index: 3 },
    ]);
  });

  it('accepts bare-word options and normalises UUIDs', () => {
    expect(getopt(['disk', '--uuid', '{6294F16B-4F05-4430-AFB9-773BDB237AEC}'], DEFS)).toEqual([
      { type: 'opt', id: 'disk', name: 'disk', value: undefined, index: 0 },
      { type: 'opt', id: 'uuid', name: '--uuid', value: '6294f16b-4f05-4430-afb9-773bdb237aec', index: 0 },
    ]);
  });

  it('reports misuse the way VBoxManage words it', () => {
    expect(getopt(['--bogus'], DEFS).at(-1)).toEqual({ type: 'error', message: 'Unknown option: --bogus' });
    expect(getopt(['--name'], DEFS).at(-1)).toEqual({ type: 'error', message: '--name: RTGetOpt: Command line option needs argument.' });
    expect(getopt(['--ioapic', 'yes'], DEFS).at(-1)).toEqual({ type: 'error', message: 'Unknown option: yes' });
    expect(getopt(['--memory', 'lots'], DEFS).at(-1)).toEqual({ type: 'error', message: 'Invalid argument format: lots' });
  });

  it('parses RTGETOPT_REQ_BOOL words', () => {
    expect(['on', 'Yes', 'e', '1', 'TRUE'].map(parseBool)).toEqual([true, true, true, true, true]);
    expect(['off', 'no', 'dis', '0', 'f'].map(parseBool)).toEqual([false, false, false, false, false]);
    expect(parseBool('maybe')).toBeUndefined();
  });
});
