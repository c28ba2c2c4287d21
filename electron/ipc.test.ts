import { describe, expect, it, vi } from 'vitest';
import { CALL_NAMES, type Envelope } from '../src/api/contract';
import { afterEach } from 'vitest';
import { tempCore } from '../src/api/core.testkit';
import { callChannel, eventChannel } from './channels';
import { bindService } from './ipc';
import { makeBridge } from './preload';

vi.mock('electron', () => ({ contextBridge: { exposeInMainWorld: vi.fn() }, ipcRenderer: {} }));

type Handler = (event: unknown, params: unknown) => Promise<Envelope>;

/**
 * ipcMain and ipcRenderer joined in-process: the stand-in is only the Electron pipe between the two
 * processes; both ends are the real binding code.
 */
const disposers: (() => Promise<void>)[] = [];
afterEach(async () => Promise.all(disposers.splice(0).map((d) => d())));

async function wire(trusted = true) {
  const handlers = new Map<string, Handler>();
  const listeners = new Map<string, Set<(e: unknown, d: unknown) => void>>();
  const ipcMain = { handle: (ch: string, fn: Handler) => handlers.set(ch, fn), removeHandler: (ch: string) => handlers.delete(ch) };
  const ipcRenderer = {
    invoke: (ch: string, params: unknown) => handlers.get(ch)!({ senderFrame: { url: 'app://dcod/index.html' } }, structuredClone(params)),
    on: (ch: string, fn: (e: unknown, d: unknown) => void) => {
      if (!listeners.has(ch)) listeners.set(ch, new Set());
      listeners.get(ch)!.add(fn);
    },
    removeListener: (ch: string, fn: (e: unknown, d: unknown) => void) => listeners.get(ch)?.delete(fn),
  };
  const { core: service, dispose } = await tempCore();
  disposers.push(dispose);
  const unbind = bindService(ipcMain as never, service, {
    isTrustedSender: () => trusted,
    broadcast: (ch, data) => listeners.get(ch)?.forEach((fn) => fn({}, structuredClone(data))),
  });
  return { handlers, bridge: makeBridge(ipcRenderer as never), service, unbind };
}

describe('IPC binding', () => {
  it('registers exactly one handler per declared call', async () => {
    const { handlers, unbind } = await wire();
    expect([...handlers.keys()].sort()).toEqual(CALL_NAMES.map(callChannel).sort());
    unbind();
    expect(handlers.size).toBe(0);
  });

  it('round-trips a call and an event through main and preload', async () => {
    const { bridge } = await wire();
    const info = await bridge.calls['app.info'](undefined);
    expect(info).toMatchObject({ ok: true, result: { name: 'DCoD', transport: 'ipc' } });
    const seen: unknown[] = [];
    const off = bridge.on('activity', (e) => seen.push(e));
    const added = await bridge.calls['activity.add']({ level: 'info', message: 'hello' });
    expect(added.ok).toBe(true);
    expect(seen).toEqual([(added as { result: unknown }).result]);
    off();
    await bridge.calls['activity.add']({ level: 'info', message: 'after unsubscribe' });
    expect(seen).toHaveLength(1);
  });

  it('keeps error codes across the boundary and refuses bad params', async () => {
    const { bridge } = await wire();
    const res = await bridge.calls['activity.add']({ level: 'nope' });
    expect(res).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', retryable: false } });
  });

  it('refuses calls from a frame that is not the app', async () => {
    const { bridge } = await wire(false);
    expect(await bridge.calls['app.info'](undefined)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });

  it('lets the renderer subscribe to declared events only', async () => {
    const { bridge } = await wire();
    expect(() => bridge.on('shell.exec' as never, () => {})).toThrow(/unknown event/);
    expect(eventChannel('activity')).toBe('dcod:event:activity');
  });
});
