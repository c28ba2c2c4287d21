/**
 * The far side of a capture: tcpdump on one device, writing pcap to stdout packet by packet
 * (`-U --immediate-mode`: no buffering to wait out), until the core closes the stream's stdin — then a
 * watcher kills it, as it does when the connection drops, so no tcpdump outlives its capture. When
 * tcpdump ends by itself (a bad filter, a missing device) the command ends with its status.
 */
import { quotePosix, quotePosixArg } from '../shell/quote';

export interface TcpdumpSpec {
  readonly device: string;
  /** A BPF filter expression, passed to tcpdump as one argument. */
  readonly filter?: string;
}

export function tcpdumpScript(spec: TcpdumpSpec): string {
  // -Z root: tcpdump would otherwise switch to a `tcpdump` user that a minimal appliance may not have.
  const argv = ['tcpdump', '-U', '--immediate-mode', '-n', '-Z', 'root', '-s', '0', '-w', '-', '-i', spec.device, ...(spec.filter?.trim() ? [spec.filter] : [])];
  return [
    // tcpdump lives in sbin, which a non-login PATH may lack.
    'PATH=$PATH:/usr/sbin:/sbin',
    // An asynchronous list reads /dev/null, so the watcher gets the real stdin through fd 3.
    'exec 3<&0',
    `${quotePosix(argv)} </dev/null & p=$!`,
    '( cat <&3 >/dev/null 2>&1; kill $p 2>/dev/null ) >/dev/null 2>&1 &',
    'exec 3<&-',
    'wait $p',
  ].join('\n');
}

export function tcpdumpCommand(spec: TcpdumpSpec): string {
  return `sh -c ${quotePosixArg(tcpdumpScript(spec))}`;
}
