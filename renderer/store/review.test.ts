import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApplyProgress, ApplyResult, Operation, PlanPreview, PlanView } from '../../src/api/contract';
import { DcodError } from '../../src/errors';
import { fakeClient } from './client.testkit';
import { INITIAL, useEditor } from './editor';
import { applyReviewed, bindReview, openDocument, pendingCount, plansAlike, retryApply, reviewPlan, setDocFile, useReview } from './review';
import { UI_STATE_STORAGE } from './storage';

const op = (id: string, name: string): Operation => ({ id, target: { kind: 'host', host: 'h1' }, resource: { kind: 'vm', name }, action: 'create', summary: `create VM ${name} on h1`, reason: 'not on h1', commands: [['VBoxManage', 'createvm', '--name', name]], dependsOn: [] });
const plan = { datacenter: 'datacenter', operations: [op('vm/web/create@h1', 'web'), op('vm/db/create@h1', 'db')], diagnostics: [] };
const view: PlanView = { planId: 'a'.repeat(64), file: '/dc.yaml', docVersion: 'b'.repeat(64), destroy: false, plan, madeAt: '', hosts: [], warnings: [] };
const progress = (o: string, state: ApplyProgress['state'], extra: Partial<ApplyProgress> = {}): ApplyProgress => ({ planId: view.planId, datacenter: 'datacenter', op: o, state, target: { kind: 'host', host: 'h1' }, resource: { kind: 'vm', name: o.split('/')[1]! }, action: 'create', summary: o, time: '', ...extra });
const result = (ok: boolean): ApplyResult => ({ planId: view.planId, datacenter: 'datacenter', ok, outcomes: [], counts: { done: ok ? 2 : 1, failed: ok ? 0 : 1, skipped: 0 }, execs: 1, startedAt: '', finishedAt: '', warnings: [] });

const initialReview = useReview.getState();
let unbind: () => void = () => undefined;
beforeEach(() => {
  vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => undefined }); // the file path is a session preference
  useEditor.setState(INITIAL);
  useReview.setState(initialReview, true);
});
afterEach(() => {
  unbind();
  vi.unstubAllGlobals();
});

describe('the review slice', () => {
  it('previews every edit, never two at once, and counts the changes of the newest', async () => {
    let answer: (p: PlanPreview) => void = () => undefined;
    const previews: unknown[] = [];
    const { client } = fakeClient({ 'plan.preview': (p) => (previews.push((p as { document: unknown }).document), new Promise<PlanPreview>((r) => (answer = r))) });
    unbind = bindReview(client);
    expect(previews).toHaveLength(1);
    useEditor.getState().run('addSwitch', undefined);
    useEditor.getState().run('addSwitch', undefined);
    expect(previews).toHaveLength(1); // the first is still out: the edits only mark it stale
    answer({ plan: { ...plan, operations: [] }, diagnostics: [], unread: [] });
    await new Promise((r) => setTimeout(r, 0));
    expect(previews).toHaveLength(2);
    expect(previews[1]).toBe(useEditor.getState().doc);
    answer({ plan, diagnostics: [], unread: [] });
    await new Promise((r) => setTimeout(r, 0));
    expect(pendingCount(useReview.getState())).toBe(2);
    expect(useReview.getState().previewOf).toBe(useEditor.getState().doc);
  });

  it('does not ask again for a document that differs only in its layout', async () => {
    const asked: unknown[] = [];
    const { client } = fakeClient({ 'plan.preview': (p) => (asked.push(p), { plan, diagnostics: [], unread: [] }) });
    unbind = bindReview(client);
    await new Promise((r) => setTimeout(r, 0));
    const doc = useEditor.getState().doc;
    const moved = { ...doc, layout: { 'switch:net1': { x: 5, y: 5 } } };
    expect(plansAlike(doc, moved)).toBe(true);
    expect(plansAlike(doc, { ...doc, vms: [] })).toBe(false);
    useEditor.setState({ doc: moved });
    await new Promise((r) => setTimeout(r, 0));
    expect(asked).toHaveLength(1);
    expect(useReview.getState().previewOf).toBe(moved);
    useEditor.getState().run('addSwitch', undefined);
    await new Promise((r) => setTimeout(r, 0));
    expect(asked).toHaveLength(2);
  });

  it('opens a file that is not there yet as a new one, then review saves it from no version and plans it', async () => {
    const writes: unknown[] = [];
    const { client, made } = fakeClient({
      'doc.read': () => Promise.reject(new DcodError('NOT_FOUND', 'no such file')),
      'doc.write': (p) => (writes.push(p), { file: '/dc.yaml', version: 'b'.repeat(64) }),
      'plan.make': () => view,
    });
    setDocFile('dc.yaml');
    await openDocument(client);
    expect(useReview.getState()).toMatchObject({ docVersion: null, docError: null, docNote: expect.stringMatching(/new file/) });
    await reviewPlan(client);
    expect(writes).toEqual([{ file: 'dc.yaml', document: useEditor.getState().doc, baseVersion: null }]);
    expect(useReview.getState()).toMatchObject({ docFile: '/dc.yaml', docVersion: 'b'.repeat(64), reviewOpen: true, reviewed: view });
    await reviewPlan(client); // nothing edited since: no second write
    expect(made.filter((c) => c === 'doc.write')).toHaveLength(1);
  });

  it('refuses to plan when the save is refused (the file changed elsewhere), and says why', async () => {
    const { client, made } = fakeClient({ 'doc.write': () => Promise.reject(new DcodError('INVALID_STATE', '/dc.yaml changed since it was read')) });
    useReview.setState({ docFile: '/dc.yaml', docVersion: 'b'.repeat(64), savedDoc: null });
    await reviewPlan(client);
    expect(made).toEqual(['doc.write']);
    expect(useReview.getState()).toMatchObject({ docError: { code: 'INVALID_STATE' }, reviewError: { code: 'INVALID_STATE', message: expect.stringMatching(/changed since/) }, reviewed: null, reviewing: false });
  });

  it('shows each operation on its node as the core reports it, a failure with the host\'s message, and retries the same plan', async () => {
    let ok = false;
    const applied: unknown[] = [];
    const { client, emit } = fakeClient({
      'apply.run': (p, send) => {
        applied.push(p);
        send('apply.progress', progress('vm/web/create@h1', 'started'));
        expect(useReview.getState().nodeStatus.get('vm:web')).toMatchObject({ state: 'started' });
        send('apply.progress', progress('vm/web/create@h1', 'done'));
        if (!ok) send('apply.progress', progress('vm/db/create@h1', 'failed', { error: { code: 'VBOX_ERROR', message: 'not enough memory', retryable: false, context: [] } }));
        else send('apply.progress', progress('vm/db/create@h1', 'done'));
        return result(ok);
      },
      'hosts.refresh': () => [],
      'hosts.list': () => [],
      'plan.preview': () => ({ diagnostics: [], unread: [] }),
    });
    unbind = bindReview(client);
    useReview.setState({ reviewed: view });
    await applyReviewed(client);
    const s = useReview.getState();
    expect(s.nodeStatus.get('vm:web')).toMatchObject({ state: 'done' });
    expect(s.nodeStatus.get('vm:db')).toMatchObject({ state: 'failed', error: { message: 'not enough memory' } });
    expect(s.applyResult?.ok).toBe(false);
    emit('apply.progress', { ...progress('vm/web/create@h1', 'failed'), planId: 'c'.repeat(64) }); // another plan's: not ours to show
    expect(useReview.getState().nodeStatus.get('vm:web')).toMatchObject({ state: 'done' });

    ok = true;
    await retryApply(client);
    expect(applied).toEqual([{ file: view.file, planId: view.planId }, { file: view.file, planId: view.planId }]);
    expect(useReview.getState().opStatus.get('vm/db/create@h1')).toMatchObject({ state: 'done' });
    expect(useReview.getState().applyResult?.ok).toBe(true);
    expect(useReview.getState().nodeStatus.size).toBe(0); // a clean apply leaves the nodes to the hosts' report
  });

  it('declares where each of its fields is kept', () => {
    for (const f of Object.keys(useReview.getState())) expect(UI_STATE_STORAGE, f).toHaveProperty(f);
  });
});
