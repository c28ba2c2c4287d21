/**
 * How planners name and build operations. Ids are `<kind>/<name>/<step>@<host>` (`vm/web1/create@h1`):
 * stable across plans of the same inputs (the journal and resume rely on it), and predictable, so one
 * planner can depend on another's operations (the overlay on `vm/<name>/start@<host>`, say).
 */
import type { Action, Command, Operation, ResourceKind } from './plan';

/** Steps in the order they happen to one resource; also the order within a DAG level. */
export const STEPS = ['upload', 'stop', 'export', 'transfer', 'detach', 'create', 'grow', 'update', 'rewire', 'attach', 'start', 'delete'] as const;
export type Step = (typeof STEPS)[number] | (string & {});

export function opId(kind: ResourceKind, name: string, step: Step, host: string): string {
  return `${kind}/${name}/${step}@${host}`;
}

export interface OperationInput {
  readonly kind: ResourceKind;
  readonly name: string;
  readonly step: Step;
  readonly host: string;
  readonly action: Action;
  readonly summary: string;
  readonly reason: string;
  readonly commands: readonly Command[];
  readonly dependsOn?: readonly (string | undefined)[];
  readonly before?: unknown;
  readonly after?: unknown;
}

/** An operation on a host, its dependencies de-duplicated and sorted (undefined ones dropped). */
export function hostOperation(o: OperationInput): Operation {
  const deps = [...new Set(o.dependsOn?.filter((d): d is string => d !== undefined) ?? [])].sort();
  return {
    id: opId(o.kind, o.name, o.step, o.host),
    target: { kind: 'host', host: o.host },
    resource: { kind: o.kind, name: o.name },
    action: o.action,
    summary: o.summary,
    reason: o.reason,
    commands: o.commands,
    dependsOn: deps,
    ...(o.before === undefined ? {} : { before: o.before }),
    ...(o.after === undefined ? {} : { after: o.after }),
  };
}

/** The step part of an operation id. */
export function stepOf(id: string): string {
  return id.slice(id.indexOf('/', id.indexOf('/') + 1) + 1, id.lastIndexOf('@'));
}
