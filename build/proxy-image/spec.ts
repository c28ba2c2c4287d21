// What the DCoD proxy appliance is made of and what VM it declares: one place for every choice the
// build, the OVF descriptor, the boot test and the installer must agree on.

export const APPLIANCE = 'dcod-proxy';

/** The OVA and its checksum file as the build writes them and the app looks for them. */
export function ovaFileName(version: string): string {
  return `${APPLIANCE}-${version}.ova`;
}

export const DEBIAN = {
  suite: 'bookworm',
  mirror: process.env.DCOD_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian',
  securityMirror: process.env.DCOD_DEBIAN_SECURITY_MIRROR ?? 'http://deb.debian.org/debian-security',
  /**
   * On top of debootstrap's minbase. The cloud kernel is the small virtio-only flavour: it has no
   * e1000 or AHCI driver, which is why the VM declares virtio NICs and an IDE (PIIX4) disk.
   * dnsmasq-base is the daemon without the service that would start it on every interface at boot;
   * dbus lets logind turn an ACPI power-button press (`controlvm acpipowerbutton`) into a shutdown.
   */
  packages: [
    'linux-image-cloud-amd64',
    'systemd-sysv',
    'udev',
    'dbus',
    'kmod',
    'initramfs-tools',
    'iproute2',
    'dnsmasq-base',
    'nftables',
    'tcpdump',
    'openssh-server',
    'jq',
    'procps',
    'iputils-ping',
  ],
} as const;

export const DISK = {
  /** The virtual disk's size; only the used part is stored in the OVA. */
  bytes: 1024 * 1024 * 1024,
  /** The root partition starts at 1 MiB; GRUB's core image lives in the gap before it. */
  partitionStartSector: 2048,
  /** Fixed, so the image is reproducible; the kernel finds its root by it. */
  fsUuid: '4d8c0d1e-5c2b-4f0e-9a37-6b1d2f8e0c11',
  fsLabel: 'dcod-root',
  diskSignature: 0x0dc0d001,
} as const;

export const KERNEL_CMDLINE = [
  `root=UUID=${DISK.fsUuid}`,
  'ro',
  // Kernel names (eth0…) until dcod-boot renames them nic1…nic36; udev's predictable names would race it.
  'net.ifnames=0',
  'console=tty0',
  'console=ttyS0,115200n8',
  'quiet',
].join(' ');

/** The VM the descriptor declares; its chipset is always ICH9, the only one with 36 adapters. */
export const HARDWARE = {
  ostype: 'Debian_64',
  cpus: 1,
  memoryMB: 256,
  /** nic1 is the underlay, nic2–nic36 are overlay ports. */
  nics: 36,
  nicType: 'virtio',
  /** VirtualBox's OUI, DC 00, then the slot. Import gives new MACs unless told to keep them. */
  macPrefix: '080027DC00',
} as const;

/** Fixed so the descriptor is reproducible; VirtualBox gives the imported VM and disk new ones. */
export const IDS = {
  machineUuid: '9b0f3c52-7d1e-4c8a-b6f4-2e5a9d0c7f31',
  diskUuid: '3e6a1f07-92c4-4b5d-8e0f-7a4c2d9b1e65',
} as const;
