/**
 * What every entity form needs, bound to one entity: its id, a way to run an update as one undo step, and
 * the message a field would get with a candidate patch in the document.
 */
import { updateEntity, type EntityOf } from '../editor/edits';
import { nodeId, type EntityKind } from '../editor/ids';
import type { Datacenter } from '../editor/model';
import { useEditor } from '../store/editor';
import { candidateProblem } from './checks';

export function entityKit<K extends EntityKind>(doc: Datacenter, kind: K, name: string) {
  const id = nodeId(kind, name);
  type Patch = Partial<Omit<EntityOf<K>, 'name'>>;
  return {
    id,
    update: (patch: Patch, field: string) => useEditor.getState().run('update', { kind, name, patch, field }),
    rename: (to: string) => useEditor.getState().run('rename', { kind, from: name, to }),
    /** The message `field` would get with `patch` applied. */
    preview: (patch: Patch, field: string) => candidateProblem(updateEntity(doc, kind, name, patch), id, field),
  };
}
