/**
 * Documents, plans and applies behind the service API: validate a document without touching a host, plan
 * it against freshly read hosts, apply exactly a plan the core made (never one a UI sends), report each
 * operation as it happens, and say where every resource stands.
 */
import { DcodError, type ErrorInfo } from '../errors';
import type { ObservedHost } from '../hosts/observed';
import type { HostRunner } from '../hosts/runner';
import type { InventoryHost } from '../inventory/schema';
import { Name, type Datacenter, type Nic, type Vm } from '../model/document';
import { loadDocumentFile, readDocumentFile, saveDocumentFile, type LocatedDiagnostic } from '../model/document-file';
import { dcodGroup, EXTRA_DATACENTER, EXTRA_ROLE } from '../model/tags';
import type { DriftItem } from '../plan/drift';
import type { Action, Operation, Plan, ResourceRef, Target } from '../plan/plan';
import { modifyVm, setExtraData, vniOfIntnet } from '../vbox/commands';
import { acquireApplyLock, applyLockHolder, type LockHolder } from './apply-lock';
import { applyPlan, type ApplyOptions, type ApplyResult } from './engine';
import { compactJournal, doneOperations, journalPath, JournalWriter, lastOutcomes, readJournal, unfinishedApply, type UnfinishedApply } from './journal';
import { planIdOf, PlanStore, type StoredPlan } from './plan-store';
import { resourceStatus, type ResourceStatus } from './status';

/** How the engine reaches a plan's hosts by name: through the inventory as it is now. */
export function hostsByName(hosts: readonly InventoryHost[], runnerFor: (host: InventoryHost) => Promise<HostRunner>): Pick<ApplyOptions, 'runnerFor' | 'vboxmanageFor'> {
  const byName = new Map(hosts.map((h) => [h.name, h]));
  return {
    runnerFor: async (name) => {
      const host = byName.get(name);
      if (!host) throw new DcodError('NOT_FOUND', `host ${name} is not in the inventory any more`);
      return runnerFor(host);
    },
    vboxmanageFor: (name) => byName.get(name)?.vboxmanage,
  };
}

/** `plan(desired, observed)`: pure, no I/O (src/plan/planner.ts). */
export type Planner = (desired: Datacenter, observed: readonly ObservedHost[]) => Plan;
/** What was changed by hand on the hosts since the last apply (src/plan/drift.ts). */
export type DriftFinder = (desired: Datacenter, observed: readonly ObservedHost[]) => readonly DriftItem[];

export interface ApplyProgress {
  readonly planId: string;
  readonly datacenter: string;
  readonly op: string;
  readonly state: 'started' | 'done' | 'failed' | 'skipped';
  readonly target: Target;
  readonly resource: ResourceRef;
  readonly action: Action;
  readonly summary: string;
  readonly time: string;
  readonly error?: ErrorInfo;
  /** Why it was skipped. */
  readonly reason?: string;
  readonly resumed?: boolean;
}

export interface ValidationReport {
  readonly file: string;
  readonly valid: boolean;
  readonly datacenter?: string;
  readonly version?: string;
  readonly diagnostics: readonly LocatedDiagnostic[];
}

export interface HostReadout {
  readonly host: string;
  readonly reachable: boolean;
  readonly error?: ErrorInfo;
}

export interface PlanView extends StoredPlan {
  /** Every inventory host as it was read for this plan. */
  readonly hosts: readonly HostReadout[];
  /** The document's warnings. */
  readonly warnings: readonly LocatedDiagnostic[];
  /** An earlier apply of this document that never finished, if any: `apply.run` with its id resumes it. */
  readonly interrupted?: UnfinishedApply;
  /** An apply of this datacenter under way right now (in this process or another): the plan may change when it ends. */
  readonly applying?: LockHolder;
}

export interface StatusReport {
  readonly file: string;
  readonly datacenter: string;
  readonly docVersion: string;
  readonly resources: readonly ResourceStatus[];
  readonly hosts: readonly HostReadout[];
  readonly interrupted?: UnfinishedApply;
}

export interface AdoptResult {
  readonly vm: Vm;
  readonly host: string;
  readonly version: string;
  /** What the document could not say about the VM (left as it is on the host). */
  readonly notes: readonly string[];
}

export interface ApplyServiceDeps {
  readonly planner: Planner;
  readonly drift?: DriftFinder;
  /** Reads every inventory host, one exec each, in parallel (and tells the UI, as `hosts.refresh` does). */
  refresh(): Promise<readonly ObservedHost[]>;
  inventory(): Promise<readonly InventoryHost[]>;
  runnerFor(host: InventoryHost): Promise<HostRunner>;
  /** The overlay's way into a host's proxy VM; without it proxy operations fail. */
  runnerForProxy?(host: string): Promise<HostRunner>;
  onProgress?(progress: ApplyProgress): void;
  /** How long a host command may print nothing before it is given up as hung (the engine's default otherwise). */
  readonly commandIdleMs?: number;
  log?(level: 'info' | 'warn' | 'error', source: string, message: string): void;
}

const readout = (o: ObservedHost): HostReadout => ({ host: o.host, reachable: o.reachable && !o.error, ...(o.error ? { error: o.error } : {}) });

/** What is left of a document when everything it owns is to go: its name. */
function emptied(doc: Datacenter): Datacenter {
  return { ...doc, switches: [], routers: [], vms: [], volumes: [], placement: {} };
}

export class ApplyService {
  private readonly plans = new PlanStore();
  /** Datacenters being applied by this process: one apply at a time each. */
  private readonly applying = new Set<string>();

  constructor(private readonly deps: ApplyServiceDeps) {}

  /** Placement is checked against the inventory (a file: no host is touched). */
  async validate(file: string): Promise<ValidationReport> {
    const read = await readDocumentFile(file, { inventory: await this.deps.inventory() });
    return {
      file: read.file,
      valid: read.document !== undefined,
      ...(read.document ? { datacenter: read.document.metadata.name } : {}),
      ...(read.version ? { version: read.version } : {}),
      diagnostics: read.diagnostics,
    };
  }

  async makePlan(file: string, opts: { destroy?: boolean } = {}): Promise<PlanView> {
    return (await this.planned(file, opts)).view;
  }

  private async planned(file: string, opts: { destroy?: boolean }): Promise<{ view: PlanView; document: Datacenter; observed: readonly ObservedHost[] }> {
    const inventory = await this.deps.inventory();
    await loadDocumentFile(file, { inventory }); // an invalid document is refused before any host is read
    const observed = await this.deps.refresh();
    const loaded = await loadDocumentFile(file, { inventory, observed });
    const destroy = opts.destroy ?? false;
    const plan = this.deps.planner(destroy ? emptied(loaded.document) : loaded.document, observed);
    const madeAt = observed.map((o) => o.observedAt).sort().at(-1) ?? new Date().toISOString();
    const body = { file: loaded.file, docVersion: loaded.version, destroy, plan, madeAt };
    const stored: StoredPlan = { planId: planIdOf(body), ...body };
    this.plans.remember(stored);
    // An apply under way has an unfinished journal too: it is named as running, not as interrupted.
    const applying = await applyLockHolder(loaded.file, plan.datacenter);
    const interrupted = applying ? undefined : unfinishedApply(await readJournal(journalPath(loaded.file, plan.datacenter)));
    const extra = { ...(interrupted ? { interrupted } : {}), ...(applying ? { applying } : {}) };
    return { view: { ...stored, hosts: observed.map(readout), warnings: loaded.diagnostics, ...extra }, document: loaded.document, observed };
  }

  /**
   * Applies a plan this core made (or persisted before an interrupted apply). Operations the journal
   * records done for this plan are not run again. Refuses a plan made from another version of the file.
   */
  async apply(file: string, planId: string): Promise<ApplyResult> {
    const stored = await this.plans.get(file, planId);
    const loaded = await loadDocumentFile(stored.file);
    if (loaded.version !== stored.docVersion) {
      throw new DcodError('INVALID_STATE', `${stored.file} changed since plan ${planId.slice(0, 12)} was made: make a new plan and review it`);
    }
    const datacenter = stored.plan.datacenter;
    return this.exclusively(stored.file, datacenter, planId, async () => {
      await this.plans.persist(stored);
      const file = journalPath(stored.file, datacenter);
      const records = await readJournal(file);
      const alreadyDone = doneOperations(records, planId);
      if (await compactJournal(file, records)) this.deps.log?.('info', 'core', `compacted the apply journal of ${datacenter}`);
      const journal = await JournalWriter.open(file);
      const progress = (op: Operation, state: ApplyProgress['state'], extra: Partial<ApplyProgress> = {}) =>
        this.deps.onProgress?.({
          planId, datacenter, op: op.id, state, target: op.target, resource: op.resource, action: op.action, summary: op.summary, time: new Date().toISOString(), ...extra,
        });
      let result: ApplyResult;
      try {
        result = await applyPlan(stored.plan, {
          planId,
          docVersion: stored.docVersion,
          journal,
          alreadyDone,
          ...hostsByName(await this.deps.inventory(), this.deps.runnerFor),
          ...(this.deps.commandIdleMs ? { idleTimeoutMs: this.deps.commandIdleMs } : {}),
          ...(this.deps.runnerForProxy ? { runnerForProxy: this.deps.runnerForProxy } : {}),
          hooks: {
            preOperation: (op) => progress(op, 'started'),
            postOperation: (op, o) =>
              progress(op, o.state, {
                ...(o.state === 'failed' ? { error: o.error } : {}),
                ...(o.state === 'skipped' ? { reason: o.reason } : {}),
                ...(o.state === 'done' && o.resumed ? { resumed: true } : {}),
              }),
          },
        });
      } finally {
        await journal.close();
      }
      const { done, failed, skipped } = result.counts;
      this.deps.log?.(result.ok ? 'info' : 'error', 'core', `apply of ${datacenter} (plan ${planId.slice(0, 12)}): ${done} done, ${failed} failed, ${skipped} skipped`);
      return result;
    });
  }

  /**
   * Runs `work` as the only writer of a datacenter's hosts, journal and document: refused while this
   * core applies it, and under the apply lock against other processes (a second `dcod apply`, the app),
   * whose journals would otherwise interleave.
   */
  private async exclusively<T>(documentFile: string, datacenter: string, planId: string, work: () => Promise<T>): Promise<T> {
    if (this.applying.has(datacenter)) throw new DcodError('INVALID_STATE', `datacenter ${datacenter} is being applied already; wait for it to finish`);
    this.applying.add(datacenter);
    let release: (() => Promise<void>) | undefined;
    try {
      release = await acquireApplyLock(documentFile, datacenter, planId);
      return await work();
    } finally {
      await release?.();
      this.applying.delete(datacenter);
    }
  }

  async status(file: string): Promise<StatusReport> {
    const { view, document, observed } = await this.planned(file, {});
    const records = await readJournal(journalPath(view.file, view.plan.datacenter));
    return {
      file: view.file,
      datacenter: view.plan.datacenter,
      docVersion: view.docVersion,
      resources: resourceStatus(document, view.plan, lastOutcomes(records), this.deps.drift?.(document, observed) ?? []),
      hosts: view.hosts,
      ...(view.interrupted ? { interrupted: view.interrupted } : {}),
    };
  }

  /**
   * Makes an existing VM on a host part of the document: tags it as owned (DCoD's group and extradata)
   * and adds it, as it is, to the document, which is saved atomically.
   */
  async adopt(file: string, hostName: string, vmName: string): Promise<AdoptResult> {
    const loaded = await loadDocumentFile(file);
    const doc = loaded.document;
    const dc = doc.metadata.name;
    const inventory = await this.deps.inventory();
    const host = inventory.find((h) => h.name === hostName);
    if (!host) throw new DcodError('NOT_FOUND', `no host named "${hostName}" in the inventory`);
    if (!Name.safeParse(vmName).success) throw new DcodError('BAD_REQUEST', `VM "${vmName}" can't be adopted under that name: a document's names use lower-case letters, digits and "-", starting with a letter; rename it in VirtualBox first`);
    if (doc.vms.some((v) => v.name === vmName)) throw new DcodError('BAD_REQUEST', `the document already has a VM named "${vmName}"`);

    const observed = (await this.deps.refresh()).find((o) => o.host === hostName);
    if (!observed?.reachable || observed.error) throw new DcodError(observed?.error?.code ?? 'HOST_UNREACHABLE', `can't read ${hostName}: ${observed?.error?.message ?? 'no answer'}`);
    const matches = observed.vms.filter((v) => v.name === vmName);
    if (matches.length === 0) throw new DcodError('VM_NOT_FOUND', `host ${hostName} has no VM named "${vmName}" (it has ${observed.vms.map((v) => v.name).join(', ') || 'none'})`);
    if (matches.length > 1) throw new DcodError('BAD_REQUEST', `host ${hostName} has ${matches.length} VMs named "${vmName}"; rename all but one first`);
    const vm = matches[0]!;
    const owner = vm.extraData[EXTRA_DATACENTER];
    if (owner && owner !== dc) throw new DcodError('BAD_REQUEST', `VM "${vmName}" on ${hostName} belongs to datacenter "${owner}"`);
    if (vm.state === 'running' || vm.state === 'paused') {
      throw new DcodError('INVALID_STATE', `VM "${vmName}" is ${vm.state}: VirtualBox moves a VM into DCoD's group only while it is powered off; stop it, adopt it, then set power: running`);
    }

    const notes: string[] = [];
    const nics: Nic[] = [];
    for (const nic of vm.nics) {
      if (nic.attachment === 'none') continue;
      const vni = nic.attachment === 'intnet' && nic.network ? vniOfIntnet(nic.network) : undefined;
      const sw = vni === undefined ? undefined : doc.switches.find((s) => s.vni === vni);
      const mac = nic.mac ? { mac: nic.mac } : {};
      if (sw) nics.push({ switch: sw.name, ...mac });
      else if (nic.attachment === 'bridged') nics.push({ bridged: true, ...mac });
      else throw new DcodError('BAD_REQUEST', `VM "${vmName}" has NIC ${nic.slot} on ${nic.attachment}${nic.network ? ` "${nic.network}"` : ''}, which the document has no switch for; attach it to a switch's dcod-vni-<VNI> network or to the LAN first`);
    }
    if (vm.storageAttachments.length) notes.push(`its ${vm.storageAttachments.length} disk/drive attachment(s) stay as they are; the document does not list them`);
    const adopted: Vm = {
      name: vmName,
      cpus: vm.cpus ?? 1,
      memoryMb: vm.memoryMb ?? 512,
      nics,
      volumes: [],
      power: 'stopped',
      chipset: vm.chipset === 'ich9' ? 'ich9' : 'piix3',
      apartFrom: [],
    };

    const op: Operation = {
      id: `vm/${vmName}/adopt@${hostName}`,
      target: { kind: 'host', host: hostName },
      resource: { kind: 'vm', name: vmName },
      action: 'update',
      summary: `adopt VM ${vmName} on ${hostName} into ${dc}`,
      reason: 'adopted by the user',
      commands: [
        ['VBoxManage', ...modifyVm(vm.uuid, { groups: [dcodGroup(dc)] })],
        ['VBoxManage', ...setExtraData(vm.uuid, EXTRA_DATACENTER, dc)],
        ['VBoxManage', ...setExtraData(vm.uuid, EXTRA_ROLE, 'vm')],
      ],
      dependsOn: [],
    };
    const plan: Plan = { datacenter: dc, operations: [op], diagnostics: [] };
    const body = { file: loaded.file, docVersion: loaded.version, destroy: false, plan, madeAt: observed.observedAt };
    const planId = planIdOf(body);
    return this.exclusively(loaded.file, dc, planId, async () => {
      const journal = await JournalWriter.open(journalPath(loaded.file, dc));
      let result: ApplyResult;
      try {
        result = await applyPlan(plan, { planId, docVersion: loaded.version, journal, runnerFor: () => this.deps.runnerFor(host), vboxmanageFor: () => host.vboxmanage });
      } finally {
        await journal.close();
      }
      const outcome = result.outcomes[0];
      if (outcome?.state === 'failed') throw new DcodError(outcome.error.code, outcome.error.message, { retryable: outcome.error.retryable, context: [...outcome.error.context] });

      const next: Datacenter = { ...doc, vms: [...doc.vms, adopted], placement: { ...doc.placement, [vmName]: hostName } };
      const version = await saveDocumentFile(loaded.file, next);
      this.deps.log?.('info', hostName, `VM ${vmName} adopted into ${dc}`);
      return { vm: adopted, host: hostName, version, notes };
    });
  }
}
