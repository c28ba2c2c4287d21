import path from 'node:path';
import { ActivityLog } from '../activity/log';
import { configPaths, type ConfigPaths } from '../config-paths';
import { HostsService } from '../hosts/hosts-service';
import { HostPool } from '../hosts/pool';
import { MemoryKeychain, type Keychain } from '../secrets/keychain';
import { KnownHosts } from '../ssh/known-hosts';
import { version } from '../version';
// Documents, plans and apply:
import { ApplyService, hostsByName } from '../apply/apply-service';
import { applyPlan } from '../apply/engine';
import { PlanStore } from '../apply/plan-store';
import { loadInventory } from '../inventory/inventory';
import { loadDocumentFile, saveDocumentFileFrom } from '../model/document-file';
import { Datacenter } from '../model/document';
import type { ObservedHost } from '../hosts/observed';
import { drift } from '../plan/drift';
import { corePlanner, planWith } from '../plan/planner';
import { previewPlan } from '../plan/preview';
import { OverlayService } from '../overlay/overlay-service';
import { OverlayWatchdog } from '../overlay/watchdog';
// Traffic and capture:
import { CaptureService } from '../capture/capture-service';
import { TrafficService } from '../traffic/traffic-service';
// Datacenter snapshots:
import { SnapshotService } from '../snapshot/snapshot-service';
// Export and import bundles:
import { BundleService } from '../bundle/bundle-service';
import type { CallName, CallOrigin, CallParams, CallResult, EventName, Events, ServiceHandle } from './contract';

export interface CoreOptions {
  readonly paths?: Partial<ConfigPaths>;
  /** The app passes one sealed with the OS keychain; elsewhere secrets live in memory for the session. */
  readonly keychain?: Keychain;
  /** Asks the person at the terminal for a secret (the CLI); absent in the app's core. */
  readonly prompt?: (question: string) => Promise<string>;
  /** How often (ms) the overlay watchdog restores crashed or drifted proxies of applied datacenters; off when absent (the CLI's one-shot verbs). */
  readonly overlayWatchdogMs?: number;
  /** How long an apply's host command may print nothing before it is given up as hung (default 10 min; fault tests shorten it). */
  readonly commandIdleMs?: number;
}

export interface Core extends ServiceHandle {
  readonly activity: ActivityLog;
  close(): Promise<void>;
}

type Handlers = { [N in CallName]: (params: CallParams<N>, origin: CallOrigin) => Promise<CallResult<N>> | CallResult<N> };

class Emitter {
  private readonly listeners = new Map<EventName, Set<(data: never) => void>>();
  on<E extends EventName>(event: E, listener: (data: Events[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (data: never) => void);
    return () => set.delete(listener as (data: never) => void);
  }
  emit<E extends EventName>(event: E, data: Events[E]): void {
    for (const l of this.listeners.get(event) ?? []) (l as (d: Events[E]) => void)(data);
  }
}

/** The core behind every transport: each capability contributes its handlers here. */
export async function createService(opts: CoreOptions = {}): Promise<Core> {
  const paths = configPaths(opts.paths);
  const activity = new ActivityLog();
  const events = new Emitter();
  activity.subscribe((entry) => events.emit('activity', entry));
  const keychain = opts.keychain ?? new MemoryKeychain();
  const knownHosts = await KnownHosts.open(paths.knownHosts);
  const pool = new HostPool({ knownHosts, secrets: { keychain, ...(opts.prompt ? { prompt: opts.prompt } : {}) } });
  const hosts = new HostsService({
    inventoryPath: paths.inventory,
    pool,
    knownHosts,
    keychain,
    onObserved: (observed) => {
      events.emit('hosts.observed', observed);
      for (const o of observed) {
        if (o.error) activity.add('error', o.host, o.error.message);
        for (const w of o.warnings) activity.add('warn', o.host, w);
      }
    },
    onDiscovery: (candidate) => events.emit('discovery.update', candidate),
  });

  // The overlay (proxies, switches, DHCP, routers): its key and the proxies' known_hosts sit beside the inventory.
  const inventory = async () => (await loadInventory(paths.inventory)).hosts;
  const overlay = await OverlayService.create({ configDir: path.dirname(paths.inventory), inventory, runnerFor: (host) => pool.runnerFor(host) });
  const runnerForProxy = (host: string) => overlay.runnerForProxy(host);
  /** Every read of the hosts also reads their proxies, so a plan sees the overlay as it is now. */
  const refresh = async () => {
    const observed = await hosts.refresh();
    await overlay.observe(observed);
    return observed;
  };

  // Documents, plans and apply.
  /** One planner for the plans applied and the editor's previews, so a preview is what plan.make would say. */
  const planner = (desired: Datacenter, observed: readonly ObservedHost[]) => planWith([corePlanner, overlay.planner], desired, observed);
  const documents = new ApplyService({
    planner,
    drift: (desired, observed) => drift(desired, observed),
    refresh,
    inventory,
    runnerFor: (host) => pool.runnerFor(host),
    runnerForProxy,
    onProgress: (progress) => {
      events.emit('apply.progress', progress);
      // The activity log tells each operation's end, on the host it ran on (its start shows on the canvas).
      const where = progress.target.kind === 'host' ? progress.target.host : `${progress.target.host}/proxy`;
      if (progress.state === 'done') activity.add('info', where, `${progress.summary}: done`);
      // The host and the summary are said already; of the error's context only the command it ran adds anything.
      const ran = progress.error?.context.find((c) => c.startsWith('running '));
      if (progress.state === 'failed') activity.add('error', where, `${progress.summary}: failed${ran ? ` ${ran}` : ''}: ${progress.error?.message ?? 'no reason given'}`);
      if (progress.state === 'skipped') activity.add('warn', where, `${progress.summary}: skipped${progress.reason ? `: ${progress.reason}` : ''}`);
    },
    log: (level, source, message) => activity.add(level, source, message),
    ...(opts.commandIdleMs ? { commandIdleMs: opts.commandIdleMs } : {}),
  });

  // The overlay watchdog: the proxy operations of a fresh plan, carried out by the same engine as apply.
  const watchdog = new OverlayWatchdog({
    intervalMs: opts.overlayWatchdogMs ?? 0,
    refresh,
    plan: planner,
    execute: async (plan) =>
      applyPlan(plan, {
        planId: `watchdog-${Date.now()}`,
        docVersion: '',
        ...hostsByName(await inventory(), (host) => pool.runnerFor(host)),
        runnerForProxy,
        ...(opts.commandIdleMs ? { idleTimeoutMs: opts.commandIdleMs } : {}),
      }),
    log: (level, source, message) => activity.add(level, source, message),
  });
  if (opts.overlayWatchdogMs) watchdog.start();
  const appliedPlans = new PlanStore();

  // Traffic and capture.
  const inventoryHosts = async () => (await hosts.list()).map((v) => v.host);
  const traffic = new TrafficService({
    inventory: inventoryHosts,
    refresh,
    runnerFor: (host) => pool.runnerFor(host),
    runnerForProxy,
    onSnapshot: (snapshot) => events.emit('traffic.snapshot', snapshot),
  });
  events.on('hosts.observed', (observed) => traffic.observed(observed));
  const captures = new CaptureService({
    inventory: inventoryHosts,
    refresh,
    runnerForProxy,
    onProgress: (progress) => events.emit('capture.progress', progress),
  });

  // Datacenter snapshots, through the same host reads and connections as apply.
  const snapshots = new SnapshotService({ inventory, refresh, runnerFor: (host) => pool.runnerFor(host) });
  const bundles = new BundleService({ inventory, refresh, runnerFor: (host) => pool.runnerFor(host) }, (p) => events.emit('bundle.progress', p));

  const handlers: Handlers = {
    'app.info': (_params, origin) => ({ name: 'DCoD', version, transport: origin.transport, platform: process.platform }),
    'activity.list': (params) => activity.list(params?.since ?? 0),
    'activity.add': (params) => activity.add(params.level, 'ui', params.message),
    'hosts.list': () => hosts.list(),
    'hosts.add': async (params) => {
      const host = await hosts.add(params);
      activity.add('info', 'core', `host ${host.name} (${host.user}@${host.address}:${host.port}) saved to the inventory`);
      return host;
    },
    'hosts.remove': async (params) => {
      await hosts.remove(params.name);
      activity.add('info', 'core', `host ${params.name} removed from the inventory`);
      return null;
    },
    'hosts.import': (params) => hosts.importHostsFile(params.file),
    'hosts.refresh': async (params) => {
      const observed = await hosts.refresh(params?.names);
      // The proxies too, on every host: the editor's plan preview sees the overlay as this reading left it.
      await overlay.observe((await hosts.list()).flatMap((v) => (v.observed ? [v.observed] : [])));
      return observed;
    },
    'hosts.acceptKey': async (params) => {
      await hosts.acceptHostKey(params.name, params.fingerprint);
      activity.add('warn', params.name, `host key ${params.fingerprint} accepted and pinned`);
      return null;
    },
    'discovery.run': (params) => hosts.discover(params),
    // Documents, plans and apply.
    'doc.validate': (params) => documents.validate(params.file),
    'doc.adopt': (params) => documents.adopt(params.file, params.host, params.vm),
    'doc.read': (params) => loadDocumentFile(params.file),
    'doc.write': async (params) => {
      const file = path.resolve(params.file);
      const version = await saveDocumentFileFrom(file, Datacenter.parse(params.document), params.baseVersion);
      activity.add('info', 'core', `${file} saved (version ${version.slice(0, 12)})`);
      return { file, version };
    },
    'plan.preview': async (params) => {
      const views = await hosts.list();
      return previewPlan(planner, params.document, { inventory: views.map((v) => v.host), observed: views.flatMap((v) => (v.observed ? [v.observed] : [])) }, params.detail);
    },
    'plan.make': (params) => documents.makePlan(params.file, params.destroy ? { destroy: true } : {}),
    'apply.run': (params) => watchdog.whileApplying(() => documents.apply(params.file, params.planId), () => appliedPlans.get(params.file, params.planId)),
    'status.get': (params) => documents.status(params.file),
    // Traffic and capture.
    'traffic.start': (params) => traffic.start(params.file),
    'traffic.stop': async () => {
      await traffic.stop();
      return null;
    },
    'traffic.snapshot': () => traffic.snapshot(),
    'traffic.history': (params) => traffic.history(params.vni, params.seconds),
    'capture.start': (params) => captures.start(params),
    'capture.stop': (params) => captures.stop(params.id),
    'capture.status': (params) => captures.status(params.id),
    'capture.open': (params) => captures.open(params.id),
    'capture.save': (params) => captures.save(params.id, params.to),
    // Datacenter snapshots.
    'snapshot.take': (params) => snapshots.take(params.file, params.name),
    'snapshot.list': (params) => snapshots.list(params.file),
    'snapshot.restore': (params) => snapshots.restore(params.file, params.name),
    'snapshot.delete': (params) => snapshots.remove(params.file, params.name),
    // Export and import bundles.
    'bundle.export': (params) => bundles.export(params.file, params.out),
    'bundle.planImport': (params) => bundles.planImport(params.bundle),
    'bundle.import': (params) => bundles.import(params.bundle, params.file),
    'bundle.cancel': () => ({ cancelled: bundles.cancel() }),
  };

  return {
    activity,
    async call(name, params, origin) {
      return handlers[name](params as never, origin) as never;
    },
    on: (event, listener) => events.on(event, listener),
    close: async () => {
      await watchdog.stop();
      await Promise.all([traffic.stop(), captures.close(), overlay.close()]);
      await pool.close();
    },
  };
}
