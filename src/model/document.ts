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
    vni: z
      .number()
      .int()
      .min(VNI_MIN, `a VNI is from ${VNI_MIN} to ${VNI_MAX}`)
      .max(VNI_MAX, `a VNI is from ${VNI_MIN} to ${VNI_MAX}`)
      .describe('The segment number (VXLAN VNI), unique in the datacenter; VMs on it share the internal network dcod-vni-<vni>.'),
    subnet: Cidr.optional().describe("The switch's IPv4 subnet, like 10.0.1.0/24; needed for DHCP, static addresses and routers."),
    dhcp: z.boolean().default(false).describe('Hand out addresses from the subnet to the VMs on this switch.'),
    /**
     * The MTU guests get (DHCP option 26). VxLAN adds 50 bytes, so on a 1500-byte LAN it is 1450; a larger
     * value is only safe where the user says the underlay carries jumbo frames (see `underlayMtu`).
     */
    mtu: z.number().int().min(576).max(9000).optional().describe('The MTU guests get by DHCP: at most underlayMtu - 50 (VXLAN headers).'),
  })
  .strict();
export type Switch = z.infer<typeof Switch>;

export const RouterInterface = z.object({ switch: Name.describe('A switch with a subnet.'), address: Ipv4.describe("The router's address on that switch, inside its subnet.") }).strict();

export const Router = z
  .object({
    name: Name,
    interfaces: z.array(RouterInterface).min(1),
    natUplink: z.boolean().default(false).describe("Masquerade traffic from the switches out through the proxy's LAN NIC."),
  })
  .strict();
export type Router = z.infer<typeof Router>;

/**
 * `connected: false` unplugs the virtual cable (the NIC stays, the guest sees no link); absent means plugged
 * in. Optional rather than defaulted so code that builds NICs needn't spell it.
 */
const Connected = z.boolean().optional().describe('false unplugs the virtual cable; absent means plugged in.');
const NicMac = Mac.optional().describe('12 hex digits; absent: VirtualBox picks one.');

export const Nic = z.union([
  z
    .object({
      switch: Name.describe('The switch this NIC is on.'),
      mac: NicMac,
      address: Ipv4.optional().describe("A static address inside the switch's subnet (for the DHCP reservation and the canvas)."),
      connected: Connected,
    })
    .strict(),
  z.object({ bridged: z.literal(true).describe("On the host's LAN, through its network interface."), mac: NicMac, connected: Connected }).strict(),
]);
export type Nic = z.infer<typeof Nic>;

export const PowerState = z.enum(['running', 'stopped']);
export type PowerState = z.infer<typeof PowerState>;

export const Vm = z
  .object({
    name: Name,
    cpus: z.number().int().min(1).max(64).default(1),
    memoryMb: z.number().int().min(4).max(1_048_576).default(512),
    image: Name.optional().describe('An entry of images to build it from; none: an empty VM.'),
    nics: z.array(Nic).default([]).describe('Network adapters, slot 1 first: at most 8 with piix3, 36 with ich9.'),
    volumes: z.array(Name).default([]).describe('Names of volumes attached to it, in order.'),
    power: PowerState.default('running'),
    chipset: z.enum(['piix3', 'ich9']).default('piix3').describe('ich9 for more than 8 NICs.'),
    apartFrom: z.array(Name).default([]).describe('Keep this VM on another host than these (anti-affinity).'),
  })
  .strict();
export type Vm = z.infer<typeof Vm>;

export const Volume = z
  .object({
    name: Name,
    sizeMb: z.number().int().min(1).max(64 * 1024 * 1024).describe('Size in MB; it can grow later, never shrink.'),
    format: z.enum(['vdi', 'vmdk']).default('vdi'),
  })
  .strict();
export type Volume = z.infer<typeof Volume>;

export const Image = z.union([
  z
    .object({
      name: Name,
      template: z.string().min(1).describe('A VM on the hosts; VMs are linked clones of its snapshot (seconds to make).'),
      snapshot: z.string().min(1).default('dcod-base').describe("The template's snapshot the clones are linked to."),
    })
    .strict(),
  z.object({ name: Name, ova: z.string().min(1).describe('An .ova file on this computer, uploaded to the hosts and imported.') }).strict(),
]);
export type Image = z.infer<typeof Image>;

/** Canvas positions, kept in the document so a layout survives reopening and travels with it. */
export const Layout = z.record(z.string(), z.object({ x: z.number(), y: z.number() }).strict());

export const Datacenter = z
  .object({
    apiVersion: z.literal(API_VERSION, { message: `apiVersion must be "${API_VERSION}"` }),
    kind: z.literal('Datacenter'),
    metadata: z.object({ name: Name }).strict(),
    underlayMtu: z.number().int().min(1280).max(9216).default(1500).describe("The LAN's MTU between hosts; 1500 unless it carries jumbo frames."),
    switches: z.array(Switch).default([]),
    routers: z.array(Router).default([]),
    vms: z.array(Vm).default([]),
    volumes: z.array(Volume).default([]),
    images: z.array(Image).default([]),
    placement: z.record(z.string(), z.string()).default({}).describe('VM name → host name (inventory). VMs left out are placed by the scheduler.'),
    layout: Layout.default({}).describe('Canvas positions; kept by the editor.'),
  })
  .strict();
export type Datacenter = z.infer<typeof Datacenter>;
export type DatacenterInput = z.input<typeof Datacenter>;

export function emptyDatacenter(name: string): Datacenter {
  return Datacenter.parse({ apiVersion: API_VERSION, kind: 'Datacenter', metadata: { name } });
}
