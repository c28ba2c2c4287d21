import ELK from 'elkjs/lib/elk-api';
import workerUrl from 'elkjs/lib/elk-worker.min.js?url';
import type { ElkLike } from '../editor/layout';

let elk: ElkLike | undefined;

/** ELK in a web worker, made on first use: a large layout never blocks the canvas. */
export function browserElk(): ElkLike {
  return (elk ??= new ELK({ workerUrl }));
}
