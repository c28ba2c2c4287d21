/**
 * fast-check arbitraries of VALID datacenter documents: random switches (some with subnets and DHCP), a
 * router over the routed ones, VMs with NICs on switches or bridged (some with MACs, static addresses,
 * unplugged cables), volumes attached to at most one VM, placement on the given hosts and satisfiable
 * anti-affinity. Used by property tests here and by the lab tests (apply, then plan again: empty).
 */
import fc from 'fast-check';
import { API_VERSION, Datacenter, VNI_MAX, type DatacenterInput } from './document';

export interface DatacenterArbitraryOptions {
  /** Host names placement may use; none: every VM is left to the scheduler. */
  readonly hosts?: readonly string[];
  /** Template images the VMs may be cloned from (the template VM must exist on every host). */
  readonly templates?: readonly { readonly image: string; readonly template: string; readonly snapshot: string }[];
  readonly datacenterNames?: readonly string[];
  readonly maxVms?: number;
  readonly maxSwitches?: number;
  readonly maxVolumes?: number;
}

/** Names the validator refuses for VMs and volumes. */
const RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$|^dcod-/;

const vmName = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/).filter((n) => !RESERVED.test(n));

const nicShape = fc.record({
  pick: fc.nat({ max: 100 }),
  bridged: fc.boolean(),
  mac: fc.boolean(),
  address: fc.boolean(),
  connected: fc.option(fc.boolean(), { nil: undefined }),
});

export function datacenterArbitrary(o: DatacenterArbitraryOptions = {}): fc.Arbitrary<Datacenter> {
  const hosts = o.hosts ?? [];
  const templates = o.templates ?? [];
  return fc
    .record({
      name: fc.constantFrom(...(o.datacenterNames ?? ['dc'])),
      vnis: fc.uniqueArray(fc.integer({ min: 1, max: VNI_MAX }), { maxLength: o.maxSwitches ?? 4 }),
      subnets: fc.array(fc.constantFrom('none', 'subnet', 'dhcp'), { minLength: o.maxSwitches ?? 4, maxLength: o.maxSwitches ?? 4 }),
      router: fc.boolean(),
      vms: fc.uniqueArray(
        fc.record({
          name: vmName,
          cpus: fc.integer({ min: 1, max: 4 }),
          memoryMb: fc.constantFrom(64, 128, 256, 512),
          chipset: fc.constantFrom('piix3' as const, 'ich9' as const),
          power: fc.constantFrom('running' as const, 'stopped' as const),
          nics: fc.array(nicShape, { maxLength: 3 }),
          image: fc.option(fc.nat({ max: 10 }), { nil: undefined }),
          host: fc.option(fc.nat({ max: 10 }), { nil: undefined }),
          apart: fc.boolean(),
        }),
        { selector: (v) => v.name, maxLength: o.maxVms ?? 5 },
      ),
      volumes: fc.array(fc.record({ sizeMb: fc.integer({ min: 1, max: 4096 }), format: fc.constantFrom('vdi' as const, 'vmdk' as const), owner: fc.option(fc.nat({ max: 10 }), { nil: undefined }) }), { maxLength: o.maxVolumes ?? 3 }),
    })
    .map((g) => {
      const switches = g.vnis.map((vni, i) => {
        const kind = g.subnets[i] ?? 'none';
        return { name: `sw${i}`, vni, ...(kind === 'none' ? {} : { subnet: `10.${i + 1}.0.0/24`, dhcp: kind === 'dhcp' }) };
      });
      const routed = switches.flatMap((s, i) => (s.subnet ? [{ switch: s.name, address: `10.${i + 1}.0.1` }] : []));
      let serial = 0;
      const placement: Record<string, string> = {};
      const vms = g.vms.map((v) => {
        serial++;
        const nics = v.nics.map((n) => {
          const k = ++serial;
          const mac = n.mac ? { mac: `080027${k.toString(16).toUpperCase().padStart(6, '0')}` } : {};
          const connected = n.connected === undefined ? {} : { connected: n.connected };
          if (n.bridged || switches.length === 0) return { bridged: true as const, ...mac, ...connected };
          const s = n.pick % switches.length;
          const sw = switches[s]!;
          return { switch: sw.name, ...(n.address && sw.subnet ? { address: `10.${s + 1}.0.${10 + (k % 240)}` } : {}), ...mac, ...connected };
        });
        const image = v.image !== undefined && templates.length > 0 ? templates[v.image % templates.length]!.image : undefined;
        if (v.host !== undefined && hosts.length > 0) placement[v.name] = hosts[v.host % hosts.length]!;
        return { name: v.name, cpus: v.cpus, memoryMb: v.memoryMb, chipset: v.chipset, power: v.power, nics, volumes: [] as string[], apartFrom: [] as string[], ...(image ? { image } : {}) };
      });
      // Anti-affinity as disjoint pairs of neighbours: always satisfiable on two hosts or more.
      if (hosts.length !== 1) {
        for (let i = 0; i + 1 < vms.length; i++) {
          const a = vms[i]!;
          const b = vms[i + 1]!;
          const paired = (x: typeof a) => x.apartFrom.length > 0 || vms.some((y) => y.apartFrom.includes(x.name));
          const together = placement[a.name] !== undefined && placement[a.name] === placement[b.name];
          if (g.vms[i]!.apart && !paired(a) && !paired(b) && !together) a.apartFrom.push(b.name);
        }
      }
      const volumes = g.volumes.map((v, i) => {
        const name = `vol${i}`;
        if (v.owner !== undefined && vms.length > 0) vms[v.owner % vms.length]!.volumes.push(name);
        return { name, sizeMb: v.sizeMb, format: v.format };
      });
      const input: DatacenterInput = {
        apiVersion: API_VERSION,
        kind: 'Datacenter',
        metadata: { name: g.name },
        switches,
        routers: g.router && routed.length > 0 ? [{ name: 'gw', interfaces: routed }] : [],
        vms,
        volumes,
        images: templates.map((t) => ({ name: t.image, template: t.template, snapshot: t.snapshot })),
        placement,
      };
      return Datacenter.parse(input);
    });
}
