import { memo } from 'react';
import { actions, type Action } from '../editor/actions';

const GROUPS = ['Edit', 'Add', 'View', 'Document', 'Help'] as const;

/** Pointer gestures, which no key test can list. */
const GESTURES: readonly [string, string][] = [
  ['Drag from the palette', 'Add a VM (onto a host), switch, router or volume (onto a VM)'],
  ['Drag from a node’s port to another node', 'Connect: VM–switch adds a NIC, router–switch an interface, volume–VM a disk'],
  ['Drag a VM onto another host', 'Move it there (the plan moves it)'],
  ['Shift+drag on the canvas', 'Select a box of nodes'],
  ['Ctrl+click', 'Add to / remove from the selection'],
  ['Scroll · drag the canvas', 'Zoom · pan'],
];

const withKeys = (Object.values(actions) as Action<unknown>[]).filter((a) => a.keys?.length);

/** Every shortcut, read from the actions registry, so what it lists is what works. */
function HelpOverlay({ onClose }: { onClose(): void }) {
  return (
    <div className="help-overlay" role="dialog" aria-label="Keyboard shortcuts" data-testid="help-overlay" onClick={onClose}>
      <div className="help-card" onClick={(e) => e.stopPropagation()}>
        <header className="help-head">
          <h2>Keyboard shortcuts</h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        <div className="help-grid">
          {GROUPS.map((g) => (
            <section key={g}>
              <h3>{g}</h3>
              <dl>
                {withKeys
                  .filter((a) => a.group === g)
                  .map((a) => (
                    <div key={a.name} className="help-row">
                      <dt>
                        {a.keys!.map((k) => (
                          <kbd key={k}>{k}</kbd>
                        ))}
                      </dt>
                      <dd>{a.label}</dd>
                    </div>
                  ))}
              </dl>
            </section>
          ))}
          <section className="help-gestures">
            <h3>Mouse</h3>
            <dl>
              {GESTURES.map(([how, what]) => (
                <div key={how} className="help-row">
                  <dt>{how}</dt>
                  <dd>{what}</dd>
                </div>
              ))}
            </dl>
          </section>
        </div>
      </div>
    </div>
  );
}

export default memo(HelpOverlay);
