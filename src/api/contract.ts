/**
 * The service API: the only door from any UI (Electron IPC, the web-mode WebSocket, tests) into the core.
 * Every call and every event is declared here once; main, preload, server and renderer all derive their
 * bindings from these tables, so a call that is not declared here cannot be made.
 *
 * Call parameters are validated with these schemas on the core's side of every transport: the far side is
 * untrusted (a browser tab, a renderer process).
 */
import { z } from 'zod';
import type { ErrorInfo } from '../errors';
import type { Candidate } from '../discovery/discover';
import { DiscoverInput, HostInput } from '../hosts/inputs';
import type { ObservedHost } from '../hosts/observed';
import type { HostView } from '../hosts/hosts-service';
import type { InventoryHost } from '../inventory/schema';
// Documents, plans and apply (src/apply):
import type { AdoptResult, ApplyProgress, PlanView, StatusReport, ValidationReport } from '../apply/apply-service';
import type { ApplyResult } from '../apply/engine';
import { Datacenter } from '../model/document';
import type { LocatedDiagnostic } from '../model/document-file';
import type { OperationOutline, PlanOutline, PlanPreview } from '../plan/preview';

// Traffic and capture (src/traffic, src/capture):
import type { CaptureProgress } from '../capture/capture-service';
import type { VniHistory } from '../traffic/monitor';
import type { HostVniRates, NicRates, SourceState, TrafficSnapshot, VniRates } from '../traffic/snapshot';
import type { TrafficStatus } from '../traffic/traffic-service';
// Datacenter snapshots (src/snapshot):
import type { RestoreResult, SnapshotSummary, VmOutcome } from '../snapshot/snapshot-service';
// Export and import bundles (src/bundle):
import type { BundleManifest, BundleProgress, ImportPlan, ImportResult } from '../bundle/bundle-service';

export type { ErrorInfo } from '../errors';
export type { Candidate, HostView, InventoryHost, ObservedHost };
export type { CaptureProgress, HostVniRates, NicRates, SourceState, TrafficSnapshot, TrafficStatus, VniHistory, VniRates };
export type { AdoptResult, ApplyProgress, ApplyResult, PlanView, StatusReport, ValidationReport };
// The document model is pure data and pure checks: the editor builds and validates documents with the
// core's own schema, so its live messages are exactly `dcod validate`'s.
export { API_VERSION, Datacenter, emptyDatacenter, Name, VNI_MAX, VNI_MIN } from '../model/document';
export type { DatacenterInput, Image, Nic, PowerState, Router, Switch, Vm, Volume } from '../model/document';
export { validateDocument, type ValidationContext } from '../model/validate';
export type { Diagnostic } from '../diagnostics';
export type { LocatedDiagnostic, OperationOutline, PlanOutline, PlanPreview };
export type { Action as PlanAction, Command, Operation, Plan, ResourceRef, Target } from '../plan/plan';
/** How a plan's argv commands read, quoted as the host's shell takes them (the review panel shows them so). */
export { quotePosix as commandText } from '../shell/quote';
export { isProxyVmName } from '../overlay/names';
export type { RestoreResult, SnapshotSummary, VmOutcome };
export type { BundleManifest, BundleProgress, ImportPlan, ImportResult };

export const ActivityLevel = z.enum(['info', 'warn', 'error']);
export type ActivityLevel = z.infer<typeof ActivityLevel>;

export interface ActivityEntry {
  readonly seq: number;
  /** ISO 8601 time the core recorded it. */
  readonly time: string;
  readonly level: ActivityLevel;
  /** Who said it: `ui`, `core`, a host name, … */
  readonly source: string;
  readonly message: string;
}

export interface AppInfo {
  readonly name: 'DCoD';
  readonly version: string;
  /** How the UI reached the core. */
  readonly transport: 'ipc' | 'websocket' | 'in-process';
  readonly platform: NodeJS.Platform;
}

const NoParams = z.object({}).strict().optional();

export const callParams = {
  'app.info': NoParams,
  'activity.list': z.object({ since: z.number().int().nonnegative().optional() }).strict().optional(),
  'activity.add': z
    .object({ level: ActivityLevel, message: z.string().min(1).max(2000) })
    .strict(),
  'hosts.list': NoParams,
  'hosts.add': HostInput,
  'hosts.remove': z.object({ name: z.string().min(1) }).strict(),
  'hosts.import': z.object({ file: z.string().min(1) }).strict(),
  'hosts.refresh': z.object({ names: z.array(z.string().min(1)).optional() }).strict().optional(),
  'hosts.acceptKey': z.object({ name: z.string().min(1), fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'a fingerprint looks like SHA256: followed by 43 base64 characters') }).strict(),
  'discovery.run': DiscoverInput,
  // Documents, plans and apply: `file` is the datacenter.yaml on the core's machine.
  'doc.validate': z.object({ file: z.string().min(1) }).strict(),
  'doc.adopt': z.object({ file: z.string().min(1), host: z.string().min(1), vm: z.string().min(1) }).strict(),
  'doc.read': z.object({ file: z.string().min(1) }).strict(),
  /** Saved only if the file is still at `baseVersion` (null: a new file); otherwise INVALID_STATE. */
  'doc.write': z.object({ file: z.string().min(1), document: Datacenter, baseVersion: z.string().regex(/^[0-9a-f]{64}$/, 'a version from doc.read or doc.write (64 hex digits)').nullable() }).strict(),
  /** The plan of an unsaved document against the hosts as last read: no file, no host touched. */
  'plan.preview': z.object({ document: z.unknown(), detail: z.enum(['full', 'outline']).optional() }).strict(),
  'plan.make': z.object({ file: z.string().min(1), destroy: z.boolean().optional() }).strict(),
  /** Only a plan the core made (plan.make) or persisted: a UI never sends commands to run. */
  'apply.run': z.object({ file: z.string().min(1), planId: z.string().regex(/^[0-9a-f]{64}$/, 'a plan id from plan.make (64 hex digits)') }).strict(),
  'status.get': z.object({ file: z.string().min(1) }).strict(),
  // Traffic and capture: `file` is the datacenter.yaml on the core's machine; capture files are written there too.
  'traffic.start': z.object({ file: z.string().min(1) }).strict(),
  'traffic.stop': NoParams,
  'traffic.snapshot': NoParams,
  'traffic.history': z.object({ vni: z.number().int().min(1).max(16_777_215), seconds: z.number().int().min(1).max(3600) }).strict(),
  'capture.start': z
    .object({
      file: z.string().min(1),
      vni: z.number().int().min(1).max(16_777_215),
      filter: z.string().max(2000).optional(),
      seconds: z.number().positive().max(86_400).optional(),
      out: z.string().min(1).optional(),
    })
    .strict(),
  'capture.stop': z.object({ id: z.uuid() }).strict(),
  'capture.status': z.object({ id: z.uuid() }).strict(),
  'capture.open': z.object({ id: z.uuid() }).strict(),
  'capture.save': z.object({ id: z.uuid(), to: z.string().min(1) }).strict(),
  // Datacenter snapshots: `file` is the datacenter.yaml; a snapshot's name is a document-style name.
  'snapshot.take': z.object({ file: z.string().min(1), name: z.string().min(1).max(63).optional() }).strict(),
  'snapshot.list': z.object({ file: z.string().min(1) }).strict(),
  'snapshot.restore': z.object({ file: z.string().min(1), name: z.string().min(1).max(63) }).strict(),
  'snapshot.delete': z.object({ file: z.string().min(1), name: z.string().min(1).max(63) }).strict(),
  // Bundles: `out` and `bundle` are folders, or single files named *.dcod, on the core's machine; `file` is the document to write.
  'bundle.export': z.object({ file: z.string().min(1), out: z.string().min(1) }).strict(),
  'bundle.planImport': z.object({ bundle: z.string().min(1) }).strict(),
  'bundle.import': z.object({ bundle: z.string().min(1), file: z.string().min(1) }).strict(),
  'bundle.cancel': NoParams,
} as const satisfies Record<string, z.ZodType>;

export interface CallResults {
  'app.info': AppInfo;
  'activity.list': readonly ActivityEntry[];
  'activity.add': ActivityEntry;
  'hosts.list': readonly HostView[];
  'hosts.add': InventoryHost;
  'hosts.remove': null;
  'hosts.import': readonly InventoryHost[];
  'hosts.refresh': readonly ObservedHost[];
  'hosts.acceptKey': null;
  'discovery.run': readonly Candidate[];
  'doc.validate': ValidationReport;
  'doc.adopt': AdoptResult;
  'doc.read': { readonly file: string; readonly document: Datacenter; readonly version: string; readonly diagnostics: readonly LocatedDiagnostic[] };
  'doc.write': { readonly file: string; readonly version: string };
  'plan.preview': PlanPreview;
  'plan.make': PlanView;
  'apply.run': ApplyResult;
  'status.get': StatusReport;
  'traffic.start': TrafficStatus;
  'traffic.stop': null;
  'traffic.snapshot': TrafficSnapshot | null;
  'traffic.history': VniHistory;
  'capture.start': CaptureProgress;
  'capture.stop': CaptureProgress;
  'capture.status': CaptureProgress;
  'capture.open': { readonly opened: boolean; readonly file: string };
  'capture.save': { readonly file: string };
  'snapshot.take': SnapshotSummary;
  'snapshot.list': readonly SnapshotSummary[];
  'snapshot.restore': RestoreResult;
  'snapshot.delete': readonly VmOutcome[];
  'bundle.export': BundleManifest;
  'bundle.planImport': ImportPlan;
  'bundle.import': ImportResult;
  'bundle.cancel': { readonly cancelled: boolean };
}

export interface Events {
  /** A new entry in the activity log. */
  activity: ActivityEntry;
  /** Hosts were read: their new observed state. */
  'hosts.observed': readonly ObservedHost[];
  /** Discovery found or probed a candidate. */
  'discovery.update': Candidate;
  /** An operation of a running apply started, finished, failed or was skipped. */
  'apply.progress': ApplyProgress;
  /** The watched datacenter's traffic, once per sampling interval. */
  'traffic.snapshot': TrafficSnapshot;
  /** A capture wrote packets, or ended. */
  'capture.progress': CaptureProgress;
  /** An export or import moved bytes or changed phase (a few times a second at most). */
  'bundle.progress': BundleProgress;
}

export type CallName = keyof typeof callParams & keyof CallResults;
export type CallParams<N extends CallName> = z.input<(typeof callParams)[N]>;
export type CallResult<N extends CallName> = CallResults[N];
export type EventName = keyof Events;

export const CALL_NAMES = Object.keys(callParams) as CallName[];
export const EVENT_NAMES = ['activity', 'hosts.observed', 'discovery.update', 'apply.progress', 'traffic.snapshot', 'capture.progress', 'bundle.progress'] as const satisfies readonly EventName[];

/** What a transport needs from the core: one entry point for calls, one for events. */
export interface ServiceHandle {
  call<N extends CallName>(name: N, params: CallParams<N>, origin: CallOrigin): Promise<CallResult<N>>;
  on<E extends EventName>(event: E, listener: (data: Events[E]) => void): () => void;
}

/** Which transport a call came through; the core uses it only to describe itself (`app.info`). */
export interface CallOrigin {
  readonly transport: AppInfo['transport'];
}

/** What a UI holds: typed calls and event subscriptions, whatever carries them. */
export interface ApiClient {
  call<N extends CallName>(name: N, ...params: undefined extends CallParams<N> ? [CallParams<N>?] : [CallParams<N>]): Promise<CallResult<N>>;
  on<E extends EventName>(event: E, listener: (data: Events[E]) => void): () => void;
}

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(callParams, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name);
}

/** How a call's outcome travels over IPC: errors keep their code and context instead of becoming text. */
export type Envelope<T = unknown> = { readonly ok: true; readonly result: T } | { readonly ok: false; readonly error: ErrorInfo };

/**
 * What the Electron preload exposes as `window.dcod`: one function per declared call and a subscription
 * per declared event — never a generic `invoke(channel)`.
 */
export interface DcodBridge {
  readonly calls: { readonly [N in CallName]: (params: unknown) => Promise<Envelope<CallResult<N>>> };
  on(event: EventName, listener: (data: unknown) => void): () => void;
}

/** The web-mode wire protocol: JSON text frames. */
export const ClientMessage = z.object({
  t: z.literal('call'),
  id: z.number().int().nonnegative(),
  method: z.string().max(100),
  params: z.unknown().optional(),
}).strict();
export type ClientMessage = z.infer<typeof ClientMessage>;

export type ServerMessage =
  | ({ readonly t: 'result'; readonly id: number } & Envelope)
  | { readonly t: 'event'; readonly name: EventName; readonly data: unknown };
