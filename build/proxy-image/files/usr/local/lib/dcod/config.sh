# Reads the appliance's configuration string, which DCoD writes (src/overlay/appliance.ts) into the
# SMBIOS type 11 OEM string: `dcod-config;h=<hostname>;k=<key>;a=<address/prefix>;g=<gateway>`,
# fields `name=value` separated by `;`, `k` once per authorized key, `a` and `g` absent for DHCP.
# Plain text, because VirtualBox passes at most 255 characters per DMI string. Sourced by dcod-boot.
CONFIG_PREFIX='dcod-config;'

# The values of field $1 in configuration string $2, one per line, in order.
config_field() {
  printf '%s\n' "${2#"$CONFIG_PREFIX"}" | tr ';' '\n' | sed -n "s/^$1=//p"
}
