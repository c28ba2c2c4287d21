/**
 * The far side of a traffic sampler: one shell loop per target that never ends by itself, printing one
 * frame of counters per interval over a single long-lived channel (rather than one exec per sample):
 *
 *     T <seconds since boot>          /proc/uptime: monotonic, and it going down means a reboot
 *     D <a /proc/net/dev line>        devices whose name starts with one of the prefixes
 *     P <an `ip -o link` line>        a port of a matching bridge (`… master dcod-br5001 …`), so the
 *                                     core knows which device is what (sysfs would save the fork, but
 *                                     shows the netns that mounted it, which in a container is not ours)
 *     V <vm uuid>                     then that VM's `debugvm statistics` XML (lines starting "<"),
 *                                     the VMs in any order
 *     .                               end of frame
 *
 * Everything but `sleep`, `ip` and VBoxManage is a shell builtin, so a frame costs the far side a fork
 * or three plus one per VM. The loop runs in the background while `cat` waits on stdin: when the core stops the
 * stream, or the connection drops, stdin closes and the loop is killed, leaving nothing behind.
 */
import { DcodError } from '../errors';
import { quotePosix, quotePosixArg } from '../shell/quote';

export interface SamplerSpec {
  /** Devices whose name starts with one of these are read from /proc/net/dev; `''` is every device. */
  readonly devicePrefixes: readonly string[];
  /** Ports of bridges whose name starts with this are listed each frame (a proxy: `dcod-`). */
  readonly masterPrefix?: string;
  /** Running VMs whose NIC counters are read each frame, by UUID (on a VirtualBox host). */
  readonly vms: readonly string[];
  readonly vboxmanage: string;
  /** Whole seconds between frames. */
  readonly intervalS: number;
}

const NAME_PATTERN = /^[A-Za-z0-9_.-]*$/;

function checkPattern(what: string, p: string): string {
  if (!NAME_PATTERN.test(p)) throw new DcodError('BAD_REQUEST', `${what} ${JSON.stringify(p)} must be letters, digits, "_", "." or "-"`);
  return p;
}

/** The loop itself (POSIX sh). */
export function samplerScript(spec: SamplerSpec): string {
  if (!Number.isInteger(spec.intervalS) || spec.intervalS < 1) throw new DcodError('BAD_REQUEST', `a sampling interval is a whole number of seconds, got ${spec.intervalS}`);
  const prefixes = spec.devicePrefixes.map((p) => `${checkPattern('a device prefix', p)}*`);
  if (spec.masterPrefix === '') throw new DcodError('BAD_REQUEST', 'a bridge prefix must not be empty');
  const body = ['  up=-; { read up _ </proc/uptime; } 2>/dev/null', '  echo "T $up"'];
  if (prefixes.length > 0) body.push(`  while read -r l; do case $l in ${prefixes.join('|')}) echo "D $l";; esac; done </proc/net/dev`);
  if (spec.masterPrefix !== undefined) {
    body.push(`  ip -o link show 2>/dev/null | while read -r l; do case $l in *" master ${checkPattern('a bridge prefix', spec.masterPrefix)}"*) echo "P $l";; esac; done`);
  }
  // The VMs are read in parallel — a frame takes as long as the slowest VBoxManage, not their sum — and
  // each block is printed by one printf, one write of a few hundred bytes: below PIPE_BUF, so blocks
  // never interleave. A VM that stopped prints nothing.
  for (const vm of spec.vms) {
    const id = quotePosixArg(vm);
    body.push(`  ( o=$("$V" debugvm ${id} statistics --pattern '/Public/NetAdapter/*' 2>/dev/null) && printf 'V %s\\n%s\\n' ${id} "$o" ) &`);
  }
  if (spec.vms.length > 0) body.push('  wait');
  return [
    `V=${quotePosixArg(spec.vboxmanage)}`,
    '(',
    'while :; do',
    ...body,
    '  echo .',
    `  sleep ${spec.intervalS}`,
    'done',
    ') </dev/null & p=$!',
    'cat >/dev/null',
    'kill $p 2>/dev/null',
  ].join('\n');
}

/**
 * The command line that runs it under `sh` whatever the login shell is (zsh, for one, would abort on a
 * glob that matches nothing).
 */
export function samplerCommand(spec: SamplerSpec): string {
  return quotePosix(['sh', '-c', samplerScript(spec)]);
}
