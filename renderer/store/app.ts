import { create } from 'zustand';
import type { ConnectionState } from '../../src/api/client';
import type { ActivityEntry } from '../../src/api/contract';
import { loadSession, saveSession } from './storage';

export type Theme = 'dark' | 'light';

const isTheme = (v: unknown): v is Theme => v === 'dark' || v === 'light';

/** The most entries the activity panel keeps; the core keeps more (activity.list). */
const ACTIVITY_SHOWN = 500;

export interface AppState {
  readonly theme: Theme;
  readonly connection: ConnectionState;
  readonly activity: readonly ActivityEntry[];
  setTheme(theme: Theme): void;
  setConnection(state: ConnectionState): void;
  addActivity(entries: readonly ActivityEntry[]): void;
}

export const useApp = create<AppState>()((set) => ({
  theme: loadSession<Theme>('theme', 'dark', isTheme),
  connection: 'connecting',
  activity: [],
  setTheme: (theme) => {
    saveSession('theme', theme);
    set({ theme });
  },
  setConnection: (connection) => set({ connection }),
  addActivity: (entries) =>
    set((s) => {
      // Entries can arrive twice (the initial list races the live event); keep one per seq, in order.
      const bySeq = new Map(s.activity.map((e) => [e.seq, e]));
      for (const e of entries) bySeq.set(e.seq, e);
      return { activity: [...bySeq.values()].sort((a, b) => a.seq - b.seq).slice(-ACTIVITY_SHOWN) };
    }),
}));
