/**
 * Where each piece of UI state is kept. A new field must be added here, which forces the decision:
 * - `document`: saved with the datacenter document (travels with it, undoable);
 * - `session`: this user's preference on this machine (localStorage);
 * - `nowhere`: derived or live, rebuilt on every start.
 */
export type Keep = 'document' | 'session' | 'nowhere';

export const UI_STATE_STORAGE = {
  theme: 'session',
  connection: 'nowhere',
  activity: 'nowhere',
  selection: 'nowhere',
  // The hosts slice (store/hosts.ts): all of it is what the core said, re-read on every start.
  hostsLoaded: 'nowhere',
  hostViews: 'nowhere',
  hostsRefreshing: 'nowhere',
  hostsError: 'nowhere',
  candidates: 'nowhere',
  discovery: 'nowhere',
  // The editor slice (store/editor.ts). `selection` and `hostViews` above mean the same there.
  doc: 'document',
  // Undo steps live as long as the window: going back further is the core's document versions.
  history: 'nowhere',
  clipboard: 'nowhere',
  hostNames: 'nowhere',
  placed: 'nowhere',
  graph: 'nowhere',
  search: 'nowhere',
  searchOpen: 'nowhere',
  helpOpen: 'nowhere',
  dropHost: 'nowhere',
  busy: 'nowhere',
  // The traffic slice (traffic/store.ts): live figures; only the watched file and the view's choices stay.
  trafficPhase: 'nowhere',
  trafficFile: 'session',
  trafficError: 'nowhere',
  trafficStatus: 'nowhere',
  trafficLatest: 'nowhere',
  trafficShown: 'nowhere',
  trafficPaused: 'nowhere',
  trafficWindowS: 'session',
  trafficUnit: 'session',
  trafficSeries: 'nowhere',
  trafficVersion: 'nowhere',
  trafficShownVersion: 'nowhere',
  trafficCaptures: 'nowhere',
  // The review slice (store/review.ts): the file path is a preference; everything else is the core's answer.
  docFile: 'session',
  docVersion: 'nowhere',
  savedDoc: 'nowhere',
  docBusy: 'nowhere',
  docNote: 'nowhere',
  docError: 'nowhere',
  preview: 'nowhere',
  previewOf: 'nowhere',
  previewError: 'nowhere',
  reviewOpen: 'nowhere',
  reviewing: 'nowhere',
  reviewed: 'nowhere',
  reviewError: 'nowhere',
  applying: 'nowhere',
  appliedPlan: 'nowhere',
  opStatus: 'nowhere',
  nodeStatus: 'nowhere',
  applyResult: 'nowhere',
  applyError: 'nowhere',
} as const satisfies Record<string, Keep>;

export type UiStateKey = keyof typeof UI_STATE_STORAGE;

const PREFIX = 'dcod.ui.';

export function loadSession<T>(key: UiStateKey, fallback: T, valid: (v: unknown) => v is T): T {
  try {
    const raw = localStorage.getItem(PREFIX + key);
    if (raw === null) return fallback;
    const value: unknown = JSON.parse(raw);
    return valid(value) ? value : fallback;
  } catch {
    return fallback;
  }
}

export function saveSession(key: UiStateKey, value: unknown): void {
  if (UI_STATE_STORAGE[key] !== 'session') throw new Error(`UI state "${key}" is not kept in the session`);
  localStorage.setItem(PREFIX + key, JSON.stringify(value));
}
