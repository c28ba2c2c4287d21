import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { CALL_NAMES, EVENT_NAMES, type Envelope, type ServiceHandle } from '../src/api/contract';
import { dispatch } from '../src/api/dispatch';
import { DcodError, toDcodError } from '../src/errors';
import { callChannel, eventChannel } from './channels';

export interface IpcBindingOptions {
  /** Calls from any frame not showing the app (an injected iframe, a navigated page) are refused. */
  isTrustedSender(event: IpcMainInvokeEvent): boolean;
  /** Sends an event to every window showing the app. */
  broadcast(channel: string, data: unknown): void;
}

/**
 * Binds the service API to IPC: one handler per declared call, one broadcast per declared event.
 * Outcomes travel as envelopes so errors keep their code and context across the process boundary.
 * Returns a function that unbinds everything.
 */
export function bindService(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, service: ServiceHandle, opts: IpcBindingOptions): () => void {
  for (const name of CALL_NAMES) {
    ipcMain.handle(callChannel(name), async (event, params: unknown): Promise<Envelope> => {
      try {
        if (!opts.isTrustedSender(event)) throw new DcodError('UNAUTHORIZED', `IPC call ${name} refused: it did not come from the DCoD window`);
        return { ok: true, result: await dispatch(service, name, params, { transport: 'ipc' }) };
      } catch (err) {
        return { ok: false, error: toDcodError(err).toInfo() };
      }
    });
  }
  const unsubscribe = EVENT_NAMES.map((name) => service.on(name, (data) => opts.broadcast(eventChannel(name), data)));
  return () => {
    for (const name of CALL_NAMES) ipcMain.removeHandler(callChannel(name));
    for (const off of unsubscribe) off();
  };
}
