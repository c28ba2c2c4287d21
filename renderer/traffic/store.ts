/**
 * The traffic slice: the live traffic of the datacenter being watched, as the core streams it, the
 * series behind the charts, and the captures started from the view. The canvas reads the current rate of
 * a NIC or a switch from here with `useNicLinkStyle` / `useSwitchLinkStyle` (see ./link-style).
 *
 * The series arrays are appended to in place, once per snapshot, and `trafficVersion` counts the appends:
 * charts re-read the arrays when it changes. Pausing freezes what the view shows (`trafficShown`) while
 * the series keep filling, so un-pausing shows what happened meanwhile.
 */
import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { ApiClient, CaptureProgress, ErrorInfo, TrafficSnapshot, TrafficStatus } from '../../src/api/contract';
import { toDcodError } from '../../src/errors';
import type { RateUnit } from './units';
import { loadSession, saveSession } from '../store/storage';
import { linkStyle, type LinkRate, type LinkStyle } from './link-style';
import { appendSnapshot, fromHistory, MAX_WINDOW_S, type VniSeries } from './series';

export const WINDOWS_S = [60, 300, 900] as const;
export type WindowS = (typeof WINDOWS_S)[number];

export interface TrafficState {
  readonly trafficPhase: 'idle' | 'starting' | 'watching' | 'failed';
  /** The datacenter.yaml watched (a path on the core's machine). */
  readonly trafficFile: string;
  readonly trafficError: ErrorInfo | null;
  readonly trafficStatus: TrafficStatus | null;
  /** The newest snapshot, and the one the view shows (the same unless paused). */
  readonly trafficLatest: TrafficSnapshot | null;
  readonly trafficShown: TrafficSnapshot | null;
  readonly trafficPaused: boolean;
  readonly trafficWindowS: WindowS;
  readonly trafficUnit: RateUnit;
  readonly trafficSeries: Map<number, VniSeries>;
  readonly trafficVersion: number;
  /** The version the charts show: frozen while paused. */
  readonly trafficShownVersion: number;
  /** The last capture started per VNI, as its progress events tell. */
  readonly trafficCaptures: Readonly<Record<number, CaptureProgress>>;
}

const isWindow = (v: unknown): v is WindowS => (WINDOWS_S as readonly unknown[]).includes(v);
const isUnit = (v: unknown): v is RateUnit => v === 'bits' || v === 'bytes';
const isString = (v: unknown): v is string => typeof v === 'string';

export const useTraffic = create<TrafficState>()(() => ({
  trafficPhase: 'idle',
  trafficFile: loadSession('trafficFile', '', isString),
  trafficError: null,
  trafficStatus: null,
  trafficLatest: null,
  trafficShown: null,
  trafficPaused: false,
  trafficWindowS: loadSession<WindowS>('trafficWindowS', 60, isWindow),
  trafficUnit: loadSession<RateUnit>('trafficUnit', 'bits', isUnit),
  trafficSeries: new Map(),
  trafficVersion: 0,
  trafficShownVersion: 0,
  trafficCaptures: {},
}));

// ----------------------------------------------------------------------------------------- for the canvas

/** The current rate of a VM's NIC (slot is 1-based, as `--nic<slot>`), or undefined when not sampled. */
export function nicRate(s: TrafficState, vm: string, slot: number): LinkRate | undefined {
  const n = s.trafficShown?.nics.find((x) => x.vm === vm && x.slot === slot);
  return n && { bytesPerSecond: n.rxBytes + n.txBytes };
}

/** The current rate of a switch (what entered it), with its packets, drops and errors. */
export function switchRate(s: TrafficState, name: string): LinkRate | undefined {
  const v = s.trafficShown?.vnis.find((x) => x.switch === name);
  return (
    v && {
      bytesPerSecond: v.bytes,
      ...(v.packets === undefined ? {} : { packetsPerSecond: v.packets }),
      dropsPerSecond: v.drops,
      errorsPerSecond: v.errors,
    }
  );
}

/** How the canvas draws the edge of a VM's NIC: width, level (colour), animation, label and tooltip. */
export function useNicLinkStyle(vm: string, slot: number): LinkStyle {
  return useTraffic(useShallow((s) => linkStyle(nicRate(s, vm, slot), s.trafficUnit)));
}

/** The same for a switch's own links. */
export function useSwitchLinkStyle(name: string): LinkStyle {
  return useTraffic(useShallow((s) => linkStyle(switchRate(s, name), s.trafficUnit)));
}

// --------------------------------------------------------------------------------------------- reducers

/** A snapshot arrived: into the series, and on screen unless paused. */
export function receiveSnapshot(snap: TrafficSnapshot): void {
  const s = useTraffic.getState();
  if (s.trafficPhase !== 'watching' || snap.datacenter !== s.trafficStatus?.datacenter) return;
  appendSnapshot(s.trafficSeries, snap, MAX_WINDOW_S / snap.intervalS);
  const version = s.trafficVersion + 1;
  useTraffic.setState({ trafficLatest: snap, trafficVersion: version, ...(s.trafficPaused ? {} : { trafficShown: snap, trafficShownVersion: version }) });
}

export function setPaused(paused: boolean): void {
  useTraffic.setState((s) => ({ trafficPaused: paused, ...(paused ? {} : { trafficShown: s.trafficLatest, trafficShownVersion: s.trafficVersion }) }));
}

export function setWindow(windowS: WindowS): void {
  saveSession('trafficWindowS', windowS);
  useTraffic.setState({ trafficWindowS: windowS });
}

export function setUnit(unit: RateUnit): void {
  saveSession('trafficUnit', unit);
  useTraffic.setState({ trafficUnit: unit });
}

export function setFile(file: string): void {
  saveSession('trafficFile', file);
  useTraffic.setState({ trafficFile: file });
}

// ------------------------------------------------------------------------------------------- operations

const info = (err: unknown): ErrorInfo => toDcodError(err).toInfo();

/** Subscribes the slice to the core's traffic and capture events; returns the unsubscribe. */
export function bindTraffic(client: ApiClient): () => void {
  const offSnap = client.on('traffic.snapshot', receiveSnapshot);
  const offCapture = client.on('capture.progress', (p) => useTraffic.setState((s) => ({ trafficCaptures: { ...s.trafficCaptures, [p.vni]: p } })));
  return () => {
    offSnap();
    offCapture();
  };
}

/** Starts watching the document's traffic, with the last 15 minutes the core already has. */
export async function startTraffic(client: ApiClient, file: string): Promise<void> {
  setFile(file);
  useTraffic.setState({ trafficPhase: 'starting', trafficError: null });
  try {
    const status = await client.call('traffic.start', { file });
    const histories = await Promise.all(status.switches.map((sw) => client.call('traffic.history', { vni: sw.vni, seconds: MAX_WINDOW_S })));
    useTraffic.setState((s) => ({
      trafficPhase: 'watching',
      trafficStatus: status,
      trafficSeries: new Map(histories.map((h) => [h.vni, fromHistory(h)])),
      trafficVersion: s.trafficVersion + 1,
      trafficShownVersion: s.trafficVersion + 1,
    }));
  } catch (err) {
    useTraffic.setState({ trafficPhase: 'failed', trafficError: info(err) });
  }
}

export async function stopTraffic(client: ApiClient): Promise<void> {
  useTraffic.setState({ trafficPhase: 'idle', trafficStatus: null, trafficLatest: null, trafficShown: null, trafficSeries: new Map() });
  await client.call('traffic.stop').catch((err: unknown) => useTraffic.setState({ trafficError: info(err) }));
}

/** Starts a capture on a switch; its progress arrives as events. Throws what the core said. */
export async function startCapture(client: ApiClient, vni: number, filter: string): Promise<void> {
  const file = useTraffic.getState().trafficFile;
  const p = await client.call('capture.start', { file, vni, ...(filter.trim() ? { filter } : {}) });
  useTraffic.setState((s) => ({ trafficCaptures: { ...s.trafficCaptures, [vni]: p } }));
}

export async function stopCapture(client: ApiClient, vni: number): Promise<void> {
  const c = useTraffic.getState().trafficCaptures[vni];
  if (!c) return;
  const p = await client.call('capture.stop', { id: c.id });
  useTraffic.setState((s) => ({ trafficCaptures: { ...s.trafficCaptures, [vni]: p } }));
}
