import type { CallName, EventName } from '../src/api/contract';

/** IPC channel names, one per declared call and event; main and preload both derive them from here. */
export const callChannel = (name: CallName): string => `dcod:call:${name}`;
export const eventChannel = (name: EventName): string => `dcod:event:${name}`;
