import ELK from 'elkjs/lib/elk.bundled.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { actionForKey, actions, type Keys } from '../editor/actions';
import { doc, sw, vm } from '../editor/doc.testkit';
import { selectionAfter, useEditor, INITIAL } from './editor';
import { UI_STATE_STORAGE } from './storage';

beforeEach(() => useEditor.setState(INITIAL));
const s = () => useEditor.getState();
const press = (key: string, mods: Partial<Keys> = {}): Keys => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('editing through actions', () => {
  it('records each edit as one undo step, and undo/redo walk them back and forth with the selection', () => {
    s().run('add', { kind: 'switch', at: { x: 0, y: -200 } });
    s().run('add', { kind: 'vm', at: { x: 20, y: 90 }, host: 'h1' });
    s().run('connect', { source: 'vm:vm1', target: 'switch:net1' });
    expect(s().doc.vms[0]!.nics).toEqual([{ switch: 'net1' }]);
    expect(s().selection).toEqual(['nic:vm1:0']);
    expect(s().history.undo.map((e) => e.label)).toEqual(['Add switch net1', 'Add vm vm1', 'Connect vm1 to net1']);

    s().run('undo', undefined);
    expect(s().doc.vms[0]!.nics).toEqual([]);
    expect(s().selection).toEqual(['vm:vm1']);
    s().run('undo', undefined);
    expect(s().doc.vms).toEqual([]);
    s().run('redo', undefined);
    expect(s().doc.vms.map((v) => v.name)).toEqual(['vm1']);
    expect(s().graph.nodes.map((n) => n.id)).toEqual(['host:h1', 'vm:vm1', 'switch:net1']);
  });

  it('moves a VM to another host by a drag, as one undoable step named for it', () => {
    useEditor.getState().load(doc({ vms: [vm('web')], placement: { web: 'h1' }, layout: { 'vm:web': { x: 16, y: 80 } } }));
    s().run('move', [{ id: 'vm:web', position: { x: 40, y: 120 }, host: 'h2' }]);
    expect(s().doc.placement).toEqual({ web: 'h2' });
    expect(s().history.undo.at(-1)?.label).toBe('Move web to another host');
    s().run('undo', undefined);
    expect(s().doc.placement).toEqual({ web: 'h1' });
    expect(s().doc.layout['vm:web']).toEqual({ x: 16, y: 80 });
  });

  it('records nothing for a drag that ends where it began, or for view actions', () => {
    useEditor.getState().load(doc({ switches: [sw('n', 1)], layout: { 'switch:n': { x: 8, y: 8 } } }));
    s().run('move', [{ id: 'switch:n', position: { x: 8, y: 8 } }]);
    s().run('help', undefined);
    s().run('selectAll', undefined);
    expect(s().history.undo).toEqual([]);
    expect(s().helpOpen).toBe(true);
    expect(s().selection).toEqual(['switch:n']);
  });

  it('deletes, copies and pastes the selection; host nodes are never deleted', () => {
    useEditor.getState().load(doc({ vms: [vm('web1', { nics: [{ switch: 'n' }] })], switches: [sw('n', 1001)], placement: { web1: 'h1' } }));
    s().select(['vm:web1', 'switch:n', 'host:h1']);
    s().run('copy', undefined);
    s().run('paste', undefined);
    expect(s().selection).toEqual(['vm:web2', 'switch:n-2']);
    expect(s().doc.vms[1]!.nics).toEqual([{ switch: 'n-2' }]);
    s().select(['vm:web1', 'host:h1']);
    s().run('delete', undefined);
    expect(s().doc.vms.map((v) => v.name)).toEqual(['web2']);
    expect(s().selection).toEqual(['host:h1']);
    expect(s().history.undo.at(-1)?.label).toBe('Delete 1 item');
  });

  it('nudges with the arrows, farther with Shift', () => {
    useEditor.getState().load(doc({ switches: [sw('n', 1)], layout: { 'switch:n': { x: 0, y: 0 } } }));
    s().select(['switch:n']);
    s().run('nudgeRight', undefined, { keys: press('ArrowRight', { shiftKey: true }) });
    s().run('nudgeUp', undefined, { keys: press('ArrowUp') });
    expect(s().doc.layout['switch:n']).toEqual({ x: 32, y: -8 });
  });

  it('lays out in the background, showing progress, as one undoable step that keeps edits made meanwhile', async () => {
    useEditor.getState().load(doc({ vms: [vm('a', { nics: [{ switch: 'n' }] })], switches: [sw('n', 1)], placement: { a: 'h1' } }));
    s().run('layout', undefined, { elk: new ELK() });
    expect(s().busy).toEqual({ label: 'Auto layout' });
    s().run('add', { kind: 'router', at: { x: 0, y: 0 } });
    await expect.poll(() => s().busy).toBeNull();
    expect(Object.keys(s().doc.layout).sort()).toEqual(['host:h1', 'router:router1', 'switch:n', 'vm:a']);
    expect(s().doc.layout['switch:n']!.y).toBeLessThan(s().doc.layout['host:h1']!.y);
    expect(s().history.undo.map((e) => e.label)).toEqual(['Add router router1', 'Auto layout']);
  });
});

describe('keyboard', () => {
  it('finds the action for a key only when it applies', () => {
    expect(actionForKey(press('z', { ctrlKey: true }), s())).toBeUndefined(); // nothing to undo
    s().run('add', { kind: 'switch', at: { x: 0, y: 0 } });
    expect(actionForKey(press('z', { ctrlKey: true }), s())).toBe('undo');
    expect(actionForKey(press('Z', { ctrlKey: true, shiftKey: true }), s())).toBeUndefined(); // nothing to redo
    expect(actionForKey(press('Delete'), s())).toBe('delete');
    expect(actionForKey(press('?', { shiftKey: true }), s())).toBe('help');
    expect(actionForKey(press('L', { shiftKey: true }), s())).toBe('layout');
    expect(actionForKey(press('v'), s())).toBe('addVm');
    expect(actionForKey(press('v', { ctrlKey: true }), s())).toBeUndefined(); // paste, with nothing copied
    expect(actionForKey(press('s', { ctrlKey: true }), s())).toBe('save');
    expect(actionForKey(press('Enter', { ctrlKey: true }), s())).toBe('review');
  });

  it('saves and reviews through the document commands the canvas hands in', () => {
    const ran: string[] = [];
    const document = { save: () => ran.push('save'), review: () => ran.push('review') };
    s().run('save', undefined, { document });
    s().run('review', undefined, { document });
    expect(ran).toEqual(['save', 'review']);
  });

  it('lists a key for every action people reach from the keyboard, under its own name', () => {
    for (const [name, a] of Object.entries(actions)) {
      expect(a.name).toBe(name);
      if (a.keyTest) expect(a.keys?.length, a.name).toBeGreaterThan(0);
    }
  });
});

describe('the editor slice', () => {
  it('checks placement against the inventory once it has been read, with the core’s own validation', () => {
    const view = (name: string) => ({ host: { name, address: '10.0.0.1', port: 22, os: 'linux' as const, user: 'u', auth: { method: 'agent' as const } } });
    useEditor.getState().load(doc({ vms: [vm('web')], placement: { web: 'h9' } }));
    expect(s().placed.byNode.has('vm:web')).toBe(false); // inventory not read yet
    s().setHosts([view('h1')], true);
    expect(s().placed.byNode.get('vm:web')?.[0]).toMatchObject({ field: 'host' });
    expect(s().graph.nodes.find((n) => n.id === 'host:h9')?.data).toMatchObject({ known: false });
  });

  it('tracks React Flow selection changes in pick order', () => {
    const sel = selectionAfter(['a'], [{ type: 'select', id: 'b', selected: true }, { type: 'select', id: 'a', selected: false }]);
    expect(sel).toEqual(['b']);
    const same = ['a'];
    expect(selectionAfter(same, [{ type: 'dimensions', id: 'a' }])).toBe(same);
  });

  it('declares where each of its fields is kept', () => {
    const fields = Object.entries(useEditor.getState()).filter(([, v]) => typeof v !== 'function').map(([k]) => k);
    for (const f of fields) expect(UI_STATE_STORAGE, f).toHaveProperty(f);
    expect(UI_STATE_STORAGE.doc).toBe('document');
  });
});
