/**
 * The datacenter document (`datacenter.yaml`): the *virtual* datacenter — switches, routers, VMs, volumes,
 * images — kept apart from its *placement* on hosts, so the same document can move to other hardware.
 * Pure schema (no I/O): the contract, the planner and the renderer share it.
 */
import { z } from 'zod';

export const API_VERSION = 'dcod.dev/v1';

/**
 * Names become VirtualBox names, intnet names and DNS-ish labels: letters, digits and `-`, starting with a
 * letter, at most 63. (VirtualBox itself would take more; a datacenter's names are typed by people and
 * shown everywhere, so we keep them plain.)
 */
export const Name = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, 'use lower-case letters, digits and "-", starting with a letter, at most 63 characters')
  .refine((s) => !s.endsWith('-'), 'must not end with "-"');

const Ipv4 = z.string().regex(/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/, 'an IPv4 address like 10.0.1.10');
const Cidr = z.string().regex(/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/([0-9]|[12]\d|3[0-2])$/, 'an IPv4 network like 10.0.1.0/24');
const Mac = z.string().regex(/^[0-9A-Fa-f]{12}$/, '12 hex digits, like 080027A1B2C3');

export const VNI_MIN = 1;
export const VNI_MAX = 16_777_215;

export const Switch = z
  .object({
    name: Name,
    vni: z.number().int().min(VNI_MIN, `a VNI is from ${VNI_MIN} to ${VNI_MAX}`).max(VNI_MAX, `a VNI is from ${VNI_MIN} to ${VNI_MAX}`),
    /** The switch's IPv4 subnet; needed for DHCP and routers. */
    subnet: Cidr.optional(),
    dhcp: z.boolean().default(false),
    /**
     * The MTU guests get (DHCP option 26). VxLAN adds 50 bytes, so on a 1500-byte LAN it is 1450; a larger
     * value is only safe where the user says the underlay carries jumbo frames (see `underlayMtu`).
     */
    mtu: z.number().int().min(576).max(9000).optional(),
  })
  .strict();
export type Switch = z.infer<typeof Switch>;

export const RouterInterface = z.object({ switch: Name, address: Ipv4 }).strict();

export const Router = z
  .object({
    name: Name,
    interfaces: z.array(RouterInterface).min(1),
    /** Masquerade traffic from the switches out through the proxy's LAN NIC. */
    natUplink: z.boolean().default(false),
  })
  .strict();
export type Router = z.infer<typeof Router>;

/**
 * `connected: false` unplugs the virtual cable (the NIC stays, the guest sees no link); absent means plugged
 * in. Optional rather than defaulted so code that builds NICs needn't spell it.
 */
const Connected = z.boolean().optional();

export const Nic = z.union([
  z.object({ switch: Name, mac: Mac.optional(), address: Ipv4.optional(), connected: Connected }).strict(),
  z.object({ bridged: z.literal(true), mac: Mac.optional(), connected: Connected }).strict(),
]);
export type Nic = z.infer<typeof Nic>;

export const PowerState = z.enum(['running', 'stopped']);
export type PowerState = z.infer<typeof PowerState>;

export const Vm = z
  .object({
    name: Name,
    cpus: z.number().int().min(1).max(64).default(1),
    memoryMb: z.number().int().min(4).max(1_048_576).default(512),
    /** An entry of `images` to build it from; none = an empty VM. */
    image: Name.optional(),
    nics: z.array(Nic).default([]),
    /** Names of `volumes` attached to it, in order. */
    volumes: z.array(Name).default([]),
    power: PowerState.default('running'),
    chipset: z.enum(['piix3', 'ich9']).default('piix3'),
    /** Keep this VM on another host than these (anti-affinity). */
    apartFrom: z.array(Name).default([]),
  })
  .strict();
export type Vm = z.infer<typeof Vm>;

export const Volume = z
  .object({
    name: Name,
    sizeMb: z.number().int().min(1).max(64 * 1024 * 1024),
    format: z.enum(['vdi', 'vmdk']).default('vdi'),
  })
  .strict();
export type Volume = z.infer<typeof Volume>;

export const Image = z.union([
  /** A template VM present on every host that uses it; VMs are linked clones of its snapshot (seconds). */
  z.object({ name: Name, template: z.string().min(1), snapshot: z.string().min(1).default('dcod-base') }).strict(),
  /** An OVA on the laptop, uploaded to hosts and imported. */
  z.object({ name: Name, ova: z.string().min(1) }).strict(),
]);
export type Image = z.infer<typeof Image>;

/** Canvas positions, kept in the document so a layout survives reopening and travels with it. */
export const Layout = z.record(z.string(), z.object({ x: z.number(), y: z.number() }).strict());

export const Datacenter = z
  .object({
    apiVersion: z.literal(API_VERSION, { message: `apiVersion must be "${API_VERSION}"` }),
    kind: z.literal('Datacenter'),
    metadata: z.object({ name: Name }).strict(),
    /** The LAN's MTU between hosts; 1500 unless the user knows the underlay carries more. */
    underlayMtu: z.number().int().min(1280).max(9216).default(1500),
    switches: z.array(Switch).default([]),
    routers: z.array(Router).default([]),
    vms: z.array(Vm).default([]),
    volumes: z.array(Volume).default([]),
    images: z.array(Image).default([]),
    /** VM name → host name (inventory). VMs left out are placed by the scheduler. */
    placement: z.record(z.string(), z.string()).default({}),
    layout: Layout.default({}),
  })
  .strict();
export type Datacenter = z.infer<typeof Datacenter>;
export type DatacenterInput = z.input<typeof Datacenter>;

export function emptyDatacenter(name: string): Datacenter {
  return Datacenter.parse({ apiVersion: API_VERSION, kind: 'Datacenter', metadata: { name } });
}
