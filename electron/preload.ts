import { contextBridge, ipcRenderer } from 'electron';
import { CALL_NAMES, isEventName, type DcodBridge, type Envelope } from '../src/api/contract';
import { callChannel, eventChannel } from './channels';

/**
 * The whole surface the renderer gets: one function per declared call and `on` for declared events.
 * No generic invoke, no ipcRenderer, no Node.
 */
export function makeBridge(ipc: Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>): DcodBridge {
  const calls = Object.fromEntries(
    CALL_NAMES.map((name) => [name, (params: unknown) => ipc.invoke(callChannel(name), params) as Promise<Envelope>]),
  ) as unknown as DcodBridge['calls'];
  return {
    calls,
    on(event, listener) {
      if (!isEventName(event)) throw new Error(`unknown event ${JSON.stringify(event)}`);
      const channel = eventChannel(event);
      const handler = (_e: unknown, data: unknown) => listener(data);
      ipc.on(channel, handler);
      return () => {
        ipc.removeListener(channel, handler);
      };
    },
  };
}

contextBridge.exposeInMainWorld('dcod', makeBridge(ipcRenderer));
