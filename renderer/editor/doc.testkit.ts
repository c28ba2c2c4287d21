/** Small document builders for the editor's tests. */
import { emptyDatacenter, type Datacenter, type Switch, type Vm, type Volume } from './model';

export const vm = (name: string, over: Partial<Vm> = {}): Vm => ({ name, cpus: 1, memoryMb: 512, nics: [], volumes: [], power: 'running', chipset: 'piix3', apartFrom: [], ...over });
export const sw = (name: string, vni: number, over: Partial<Switch> = {}): Switch => ({ name, vni, dhcp: false, ...over });
export const vol = (name: string, sizeMb = 1024): Volume => ({ name, sizeMb, format: 'vdi' });

/** A document with the given parts over an empty one named `lab`. */
export const doc = (over: Partial<Datacenter> = {}): Datacenter => ({ ...emptyDatacenter('lab'), ...over });
