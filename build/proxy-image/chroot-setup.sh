#!/bin/sh
# Runs once inside the freshly debootstrapped root (chroot), before it is cached as a tarball: brings
# the packages up to the current point and security release, trims what an appliance never uses, and
# makes the initramfs. Everything DCoD-specific that may change often (the boot step, sshd settings)
# is added later from files/, so editing it doesn't mean fetching Debian again.
# Environment: MIRROR, SECURITY_MIRROR, SUITE, SOURCE_DATE_EPOCH.
set -eu
export DEBIAN_FRONTEND=noninteractive LC_ALL=C

cat > /etc/apt/sources.list <<EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb $SECURITY_MIRROR $SUITE-security main
EOF
apt-get -q update
apt-get -q -y --no-install-recommends -o Dpkg::Options::=--force-confold dist-upgrade

# One kernel: the one the metapackage points at now (dist-upgrade may have added a newer one).
kernel_pkg=$(dpkg-query -W -f='${Depends}' linux-image-cloud-amd64 | sed 's/[ ,].*//')
for p in $(dpkg-query -W -f='${Package}\n' 'linux-image-[0-9]*'); do
  [ "$p" = "$kernel_pkg" ] || apt-get -q -y purge "$p"
done
kver=${kernel_pkg#linux-image-}

# The cloud kernel drives the hardware DCoD gives the appliance (virtio NICs, a PIIX4 IDE disk), and
# little else is needed: keep networking, virtio, storage and input (the ACPI power button), drop the
# rest, then drop every kept module that needed a dropped one (Hyper-V sockets, RDMA transports, CD-ROM
# drivers…), until nothing more goes. Debian's System.map is a placeholder, so depmod reports every
# symbol of the kernel proper as unknown: a symbol that becomes unknown is one only a dropped module had.
mods=/usr/lib/modules/$kver/kernel
unknown_symbols() { depmod -n -e -F "/boot/System.map-$kver" "$kver" 2>&1 >/dev/null | sed -n 's/^depmod: WARNING: \(.*\.ko\) needs unknown symbol \(.*\)$/\1 \2/p'; }
unknown_symbols | cut -d' ' -f2 | sort -u > /tmp/symbols-kernel
for d in "$mods"/drivers/*; do
  case ${d##*/} in net | virtio | ata | scsi | block | char | input | acpi | ptp | pps) ;; *) rm -rf "$d" ;; esac
done
rm -rf "$mods"/drivers/net/ethernet "$mods"/drivers/net/wireless "$mods"/drivers/net/hyperv "$mods"/drivers/net/usb
find "$mods"/drivers/block -name '*.ko' ! -name virtio_blk.ko -delete
for d in "$mods"/fs/*; do
  case ${d##*/} in autofs | overlayfs) ;; *) rm -rf "$d" ;; esac
done
rm -rf "$mods"/net/wireless "$mods"/net/mac80211 "$mods"/net/bluetooth "$mods"/net/sunrpc "$mods"/net/ceph "$mods"/net/rds "$mods"/net/9p
while orphans=$(unknown_symbols | sort -k2 | join -1 2 -v 1 - /tmp/symbols-kernel | cut -d' ' -f2 | sort -u) && [ -n "$orphans" ]; do
  echo "$orphans" | xargs rm -f
done
rm -f /tmp/symbols-kernel
depmod -a "$kver"
# What the appliance and the overlay need must have survived.
for m in virtio_net virtio_pci virtio_blk ata_piix sd_mod vxlan bridge veth 8021q nf_tables nft_chain_nat nft_masq nft_ct evdev; do
  modprobe -S "$kver" --show-depends "$m" > /dev/null || { echo "module $m is missing from the image" >&2; exit 1; }
done

# The initramfs only has to find the root file system on VirtualBox's IDE disk or QEMU's virtio one.
printf 'ata_piix\nsd_mod\nvirtio_pci\nvirtio_blk\n' >> /etc/initramfs-tools/modules
sed -i 's/^MODULES=.*/MODULES=list/' /etc/initramfs-tools/initramfs.conf
echo RESUME=none > /etc/initramfs-tools/conf.d/resume
update-initramfs -u -k "$kver"

# Units an appliance has no use for, and networkd, which applies the underlay dcod-boot describes.
systemctl mask apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer e2scrub_reap.service fstrim.timer
systemctl enable systemd-networkd.service

# No secrets or identity in the image: host keys are made on first boot, the machine id too (an empty
# /etc/machine-id tells systemd it is the first boot, so each VM gets its own DHCP client id).
rm -f /etc/ssh/ssh_host_*
: > /etc/machine-id
rm -f /var/lib/dbus/machine-id

apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/debconf/*-old /var/lib/dpkg/*-old /var/log/apt/* /tmp/* /var/tmp/*
find /var/log -type f -exec truncate -s 0 {} +
# Documentation and translations, but every package's copyright file stays.
find /usr/share/doc -mindepth 1 ! -name copyright ! -type d -delete
find /usr/share/doc -mindepth 1 -type d -empty -delete
rm -rf /usr/share/man/* /usr/share/info/* /usr/share/locale/* /usr/share/lintian /usr/share/linda
