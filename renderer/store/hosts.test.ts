import { beforeEach, describe, expect, it } from 'vitest';
import type { Candidate, HostView, ObservedHost } from '../../src/api/contract';
import { DcodError } from '../../src/errors';
import { fakeClient } from './client.testkit';
import { applyObserved, endRefresh, mergeCandidates, refreshHosts, runDiscovery, startRefresh, useHosts } from './hosts';
import { UI_STATE_STORAGE } from './storage';

const cand = (address: string, over: Partial<Candidate> = {}): Candidate => ({ address, port: 22, os: 'linux', source: 'sweep', ...over });
const view = (name: string): HostView => ({ host: { name, address: `10.0.0.${name.length}`, port: 22, os: 'linux', user: 'dcod', auth: { method: 'agent' } } });
const obs = (host: string, reachable = true): ObservedHost => ({ host, reachable, vbox: null, bridgedInterfaces: [], internalNetworks: [], vms: [], warnings: [], observedAt: '2026-01-01T00:00:00Z' });

const initial = useHosts.getState();
beforeEach(() => useHosts.setState(initial, true));

describe('hosts reducers', () => {
  it('merges streamed candidates by address:port, in numeric address order, keeping a probe already shown', () => {
    let rows = mergeCandidates([], [cand('10.0.0.12'), cand('10.0.0.9')]);
    rows = mergeCandidates(rows, [cand('10.0.0.12', { probe: { status: 'no-virtualbox' } })]);
    rows = mergeCandidates(rows, [cand('10.0.0.12', { source: 'hosts-file' }), cand('10.0.0.12', { port: 2222 })]);
    expect(rows.map((r) => `${r.address}:${r.port}`)).toEqual(['10.0.0.9:22', '10.0.0.12:22', '10.0.0.12:2222']);
    expect(rows[1]).toMatchObject({ source: 'hosts-file', probe: { status: 'no-virtualbox' } });
  });

  it('lands observations on their hosts and ignores hosts outside the inventory', () => {
    const views = applyObserved([view('a'), view('bb')], [obs('bb', false), obs('10.0.0.99')]);
    expect(views.map((v) => v.observed?.reachable)).toEqual([undefined, false]);
  });

  it('keeps a host marked as refreshing until its last overlapping refresh ends', () => {
    let r = startRefresh([], ['a', 'b']);
    r = startRefresh(r, ['a']);
    r = endRefresh(r, ['a', 'b']);
    expect(r).toEqual(['a']);
    expect(endRefresh(r, ['a'])).toEqual([]);
  });

  it('declares where each of its fields is kept', () => {
    const fields = Object.entries(useHosts.getState()).filter(([, v]) => typeof v !== 'function').map(([k]) => k);
    for (const f of fields) expect(UI_STATE_STORAGE).toHaveProperty(f, 'nowhere');
  });
});

describe('hosts operations', () => {
  it('shows candidates as discovery streams them, then settles on the final answer', async () => {
    const seen: number[] = [];
    const { client } = fakeClient({
      'discovery.run': (_p, emit) => {
        emit('discovery.update', cand('10.0.0.11'));
        seen.push(useHosts.getState().candidates.length);
        emit('discovery.update', cand('10.0.0.11', { probe: { status: 'virtualbox', version: '7.0.6', vmCount: 0, proxyPresent: false } }));
        expect(useHosts.getState().discovery).toMatchObject({ phase: 'running', probing: true });
        return [cand('10.0.0.11', { probe: { status: 'virtualbox', version: '7.0.6', vmCount: 0, proxyPresent: false } }), cand('10.0.0.51')];
      },
    });
    useHosts.setState({ candidates: [cand('10.9.9.9')] });
    // The slice subscribes the way App does.
    const off = client.on('discovery.update', (c) => useHosts.getState().addCandidates([c]));
    await runDiscovery(client, { cidrs: ['10.0.0.0/24'], user: 'dcod', auth: { method: 'agent' } });
    off();
    expect(seen).toEqual([1]); // the previous sweep's rows were cleared first
    expect(useHosts.getState().candidates.map((c) => [c.address, c.probe?.status])).toEqual([['10.0.0.11', 'virtualbox'], ['10.0.0.51', undefined]]);
    expect(useHosts.getState().discovery).toEqual({ phase: 'done', ranges: ['10.0.0.0/24'] });
  });

  it('keeps a refused sweep with its reason', async () => {
    const { client } = fakeClient({ 'discovery.run': () => Promise.reject(new DcodError('BAD_REQUEST', '10.0.0.0/8 is larger than /20')) });
    await runDiscovery(client, { cidrs: ['10.0.0.0/8'] });
    expect(useHosts.getState().discovery).toMatchObject({ phase: 'failed', error: { code: 'BAD_REQUEST', message: '10.0.0.0/8 is larger than /20' } });
  });

  it('marks hosts as refreshing while the call runs, then lists again for pending host keys', async () => {
    let during: readonly string[] = [];
    const { client, made } = fakeClient({
      'hosts.refresh': () => {
        during = useHosts.getState().hostsRefreshing;
        return [obs('a')];
      },
      'hosts.list': () => [{ ...view('a'), observed: obs('a'), pendingHostKey: 'SHA256:k' }],
    });
    useHosts.getState().setViews([view('a')]);
    await refreshHosts(client);
    expect(during).toEqual(['a']);
    expect(made).toEqual(['hosts.refresh', 'hosts.list']);
    expect(useHosts.getState()).toMatchObject({ hostsRefreshing: [], hostsError: null, hostViews: [{ pendingHostKey: 'SHA256:k' }] });
  });

  it('keeps a failed refresh as the panel error and stops the progress indicator', async () => {
    const { client } = fakeClient({ 'hosts.refresh': () => Promise.reject(new DcodError('DISCONNECTED', 'lost the connection')) });
    useHosts.getState().setViews([view('a')]);
    await refreshHosts(client, ['a']);
    expect(useHosts.getState()).toMatchObject({ hostsRefreshing: [], hostsError: { code: 'DISCONNECTED' } });
  });
});
