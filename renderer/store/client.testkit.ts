import type { ApiClient, EventName, Events } from '../../src/api/contract';
import { DcodError } from '../../src/errors';

/** A client whose calls are scripted, and which can emit events the way the core would. */
export function fakeClient(calls: Partial<Record<string, (params: unknown, emit: <E extends EventName>(e: E, d: Events[E]) => void) => unknown>>) {
  const listeners = new Map<string, Set<(d: unknown) => void>>();
  const emit = <E extends EventName>(e: E, d: Events[E]) => listeners.get(e)?.forEach((l) => l(d));
  const made: string[] = [];
  const client = {
    async call(name: string, params?: unknown) {
      made.push(name);
      const impl = calls[name];
      if (!impl) throw new DcodError('INTERNAL', `unexpected call ${name}`);
      return impl(params, emit);
    },
    on(event: string, l: (d: unknown) => void) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(l);
      return () => listeners.get(event)!.delete(l);
    },
  } as unknown as ApiClient;
  return { client, made, emit };
}
