/**
 * Copying a file between machines, which no VBoxManage command does: uploading an OVA image from the
 * laptop to a host, or carrying a VM (exported as an OVA) or a volume's disk from one host to another.
 * The planner marks such an operation with `Operation.transfer` and no commands; the apply engine carries
 * out the copy (through the laptop: SFTP down from one host, up to the other) before the operation counts
 * as done. Its action says what the copy is for: `replace` (part of a move) or `create` (an upload).
 */
import type { Operation } from './plan';

export interface TransferEnd {
  /** The inventory host; absent for the laptop (the machine DCoD runs on). */
  readonly host?: string;
  readonly path: string;
}

export interface Transfer {
  readonly from: TransferEnd;
  readonly to: TransferEnd;
  /** Delete `from` once copied (a temporary export), else leave it (an image the user keeps). */
  readonly removeSource: boolean;
}

export type TransferOperation = Operation & { readonly transfer: Transfer };

export function isTransfer(op: Operation): op is TransferOperation {
  return typeof (op as Partial<TransferOperation>).transfer === 'object';
}
