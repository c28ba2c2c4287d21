import { describe, expect, it } from 'vitest';
import { parseFixture } from './fixtures.testkit';
import { flattenSnapshots, parseSnapshotList, parseSnapshotListHuman } from './snapshot';

describe('parseSnapshotList', () => {
  it('one snapshot with a description (7.2.20 Windows, CRLF)', () => {
    expect(parseFixture('win-7.2.20-snapshot-list-machinereadable-one.txt', parseSnapshotList)).toEqual({
      root: { name: 'fixture-snap', uuid: '5732a952-0b85-4e3a-820a-1a568f31166b', description: 'fixture', path: [], children: [] },
      current: { name: 'fixture-snap', uuid: '5732a952-0b85-4e3a-820a-1a568f31166b' },
    });
  });

  it('a 15-level chain, current at the bottom', () => {
    const tree = parseFixture('snapshot-list-machinereadable-5.1-deeply-nested-15-levels.txt', parseSnapshotList);
    const all = flattenSnapshots(tree);
    expect(all).toHaveLength(16);
    expect(all.map((n) => n.path.length)).toEqual([...Array(16).keys()]);
    expect(all[0]).toMatchObject({ name: 'clean userbehavior', uuid: '81a0d214-e246-43f7-9095-95deb011bf47' });
    expect(all[7]).toMatchObject({ name: 'installed GuestAdditions with autologin', description: 'VBoxWindowsAdditions /with_autologin' });
    expect(all[15]).toMatchObject({ name: 'imdisk', uuid: 'acf23d84-479c-4a4c-8c5e-ccd8f28b14c3', children: [] });
    expect(tree.current).toEqual({ name: 'imdisk', uuid: 'acf23d84-479c-4a4c-8c5e-ccd8f28b14c3' });
  });

  it('a branched tree whose Current lines sit mid-list, with a repeated name', () => {
    const tree = parseFixture('snapshot-list-machinereadable-branched-tree-current-mid-tree.txt', parseSnapshotList);
    const shape = (n: NonNullable<typeof tree.root>): unknown => [n.name, ...n.children.map(shape)];
    expect(shape(tree.root!)).toEqual([
      'Imported',
      ['Snapshot 1', ['Snapshot 2', ['Snapshot 3'], ['Snapshot 4']], ['Snapshot-Export']],
      ['Snapshot 5', ['Snapshot 2']],
      ['Snapshot 7', ['Snapshot 8'], ['Snapshot 9']],
    ]);
    expect(tree.current).toEqual({ name: 'Snapshot-Export', uuid: 'c857d1b8-4fd6-4044-9d2c-c6e465b3cdd4' });
    const twins = flattenSnapshots(tree).filter((n) => n.name === 'Snapshot 2');
    expect(twins.map((n) => [n.uuid, n.path])).toEqual([
      ['8e12833b-c6b5-4cbd-b42b-09eff8ffc173', [1, 1]],
      ['7b093686-2981-4ada-8b0f-4c03ae23cd1a', [2, 1]],
    ]);
  });

  it('a machine without snapshots', () => {
    expect(parseSnapshotList('This machine does not have any snapshots\n')).toEqual({ root: undefined, current: undefined });
  });
});

describe('parseSnapshotListHuman', () => {
  it('reads the indented tree and the * current marker (4.x fragment)', () => {
    const tree = parseFixture('snapshot-list-human-4x-nested-with-current-marker-FRAGMENT.txt', parseSnapshotListHuman);
    expect(flattenSnapshots(tree).map((n) => [n.name, n.uuid, n.path])).toEqual([
      ['Snapshot 2', '1751e9a6-49e7-4dcc-ab23-08428b665ddf', []],
      ['Snapshot 3', '92fa8b35-873a-4197-9d54-7b6b746b2c58', [1]],
      ['Snapshot 4', 'c049023a-5132-45d5-987d-a9cfadb09664', [1, 1]],
    ]);
    expect(tree.current).toEqual({ name: 'Snapshot 4', uuid: 'c049023a-5132-45d5-987d-a9cfadb09664' });
  });

  it('puts siblings side by side', () => {
    const tree = parseSnapshotListHuman(
      '   Name: a (UUID: 00000000-0000-0000-0000-000000000001)\n      Name: b (UUID: 00000000-0000-0000-0000-000000000002)\n      Name: c (UUID: 00000000-0000-0000-0000-000000000003) *\n',
    );
    expect(tree.root?.children.map((c) => [c.name, c.path])).toEqual([
      ['b', [1]],
      ['c', [2]],
    ]);
    expect(tree.current?.name).toBe('c');
  });
});
