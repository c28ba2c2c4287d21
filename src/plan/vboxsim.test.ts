/**
 * The planner against the lab's VirtualBox simulator (e2e/lab/vboxsim, run in-process, no namespaces):
 * its argv must be what VBoxManage accepts, the observation of the result must read back as the document,
 * and any document must follow any other (and back) with nothing left to do. This is the unit-speed
 * version of the lab test that applies random documents to real SSH hosts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newSim, type Sim } from '../../e2e/lab/vboxsim/sim-harness';
import { parseObservation } from '../hosts/observe';
import { datacenterArbitrary } from '../model/arbitrary';
import { API_VERSION, Datacenter } from '../model/document';
import { levels } from './plan';
import { plan } from './planner';
import { isTransfer } from './transfer';

const section = (name: string, body: string, rc = 0) => `\x1eDCOD ${name}\n${body}\n\x1eDCOD-RC ${rc}\n`;

/** What the observation script (hosts/observe) would print on a host whose VBoxManage is the simulator. */
function observe(sim: Sim) {
  const list = (kind: string) => section(kind === 'vms' ? 'vms' : kind, sim.run('list', kind).stdout);
  let out = section('version', sim.run('--version').stdout) + ['hostinfo', 'bridgedifs', 'intnets', 'systemproperties', 'hdds', 'vms'].map(list).join('');
  for (const m of sim.run('list', 'vms').stdout.matchAll(/\{([0-9a-f-]{36})\}$/gm)) {
    const info = sim.run('showvminfo', m[1]!, '--machinereadable');
    out += section(`vm ${m[1]}`, info.stdout, info.code);
    if (/groups="[^"]*\/dcod/.test(info.stdout)) out += section(`extradata ${m[1]}`, sim.run('getextradata', m[1]!, 'enumerate').stdout);
  }
  return parseObservation('h1', out, new Date(0));
}

/** A template as people make them: a VM booting from a disk on its own SATA controller, with a snapshot. */
function withTemplate(sim: Sim): void {
  const disk = `${sim.home}/debian.vdi`;
  sim.ok('createvm', '--name', 'debian', '--register');
  sim.ok('storagectl', 'debian', '--name', 'SATA Controller', '--add', 'sata');
  sim.ok('createmedium', 'disk', '--filename', disk, '--size', '10');
  sim.ok('storageattach', 'debian', '--storagectl', 'SATA Controller', '--port', '0', '--device', '0', '--type', 'hdd', '--medium', disk);
  sim.ok('snapshot', 'debian', 'take', 'dcod-base');
}

function apply(sim: Sim, doc: Datacenter): void {
  const p = plan(doc, [observe(sim)]);
  expect(p.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  for (const op of levels(p).flat()) {
    expect(isTransfer(op)).toBe(false); // one host, no OVA images: nothing to copy
    for (const argv of op.commands) sim.ok(...argv.slice(1));
  }
}

const docs = datacenterArbitrary({ hosts: ['h1'], templates: [{ image: 'deb', template: 'debian', snapshot: 'dcod-base' }] });
/** vboxsim has no `modifymedium` yet, so the pairs tried keep each volume's size. */
const sameSizes = (a: Datacenter, b: Datacenter) => a.volumes.every((v) => (b.volumes.find((x) => x.name === v.name)?.sizeMb ?? v.sizeMb) === v.sizeMb);

describe('the planner against vboxsim', () => {
  it('applies any document after any other and back, each time with nothing left to do', () => {
    fc.assert(
      fc.property(docs, docs, (first, second) => {
        fc.pre(sameSizes(first, second));
        const sim = newSim();
        try {
          withTemplate(sim);
          for (const doc of [first, second, first]) {
            apply(sim, doc);
            expect(plan(doc, [observe(sim)]).operations.map((o) => `${o.id}: ${o.reason}`)).toEqual([]);
          }
        } finally {
          sim.cleanup();
        }
      }),
      { numRuns: 15 },
    );
  }, 120_000);

  it('undoes hand changes, calling them drift', () => {
    const sim = newSim();
    try {
      withTemplate(sim);
      const doc = datacenterDoc();
      apply(sim, doc);
      sim.ok('controlvm', 'web', 'poweroff');
      sim.ok('modifyvm', 'web', '--memory', '256', '--nic1', 'null');
      sim.ok('storageattach', 'web', '--storagectl', 'SATA Controller', '--port', '1', '--device', '0', '--medium', 'none');
      const p = plan(doc, [observe(sim)]);
      expect(p.operations.map((o) => `${o.id}: ${o.reason}`)).toEqual([
        'vm/web/update@h1: drift: memory 256 → 512 MB; drift: nic1 not attached → switch lan',
        'vm/web/attach@h1: drift: volume data attached at SATA Controller port 1',
        'vm/web/start@h1: drift: poweroff → running',
      ]);
      apply(sim, doc);
      expect(plan(doc, [observe(sim)]).operations).toEqual([]);
    } finally {
      sim.cleanup();
    }
  });
});

function datacenterDoc(): Datacenter {
  return Datacenter.parse({
    apiVersion: API_VERSION,
    kind: 'Datacenter',
    metadata: { name: 'dc' },
    switches: [{ name: 'lan', vni: 10 }],
    images: [{ name: 'deb', template: 'debian' }],
    volumes: [{ name: 'data', sizeMb: 64 }],
    vms: [{ name: 'web', image: 'deb', nics: [{ switch: 'lan' }], volumes: ['data'] }],
  });
}
