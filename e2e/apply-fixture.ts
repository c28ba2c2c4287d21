/**
 * The document the apply e2e tests and bench/apply build: 3 hosts, 12 empty VMs (4 per host), 4 switches
 * (each VM has NICs on two of them), 4 volumes (on the first 4 VMs).
 */
import type { DatacenterInput } from '../src/model/document';

export const APPLY_HOSTS = ['h1', 'h2', 'h3'] as const;

export function threeHostDocument(name: string): DatacenterInput {
  const vms = Array.from({ length: 12 }, (_, i) => ({
    name: `vm${i + 1}`,
    memoryMb: 128,
    nics: [{ switch: `sw${(i % 4) + 1}` }, { switch: `sw${((i + 1) % 4) + 1}` }],
    ...(i < 4 ? { volumes: [`vol${i + 1}`] } : {}),
  }));
  return {
    apiVersion: 'dcod.dev/v1',
    kind: 'Datacenter',
    metadata: { name },
    switches: [1, 2, 3, 4].map((n) => ({ name: `sw${n}`, vni: 5000 + n })),
    vms,
    volumes: [1, 2, 3, 4].map((n) => ({ name: `vol${n}`, sizeMb: 64 })),
    placement: Object.fromEntries(vms.map((v, i) => [v.name, APPLY_HOSTS[i % APPLY_HOSTS.length]!])),
  };
}
