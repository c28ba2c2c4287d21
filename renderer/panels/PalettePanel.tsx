import routerIcon from '../../assets/icons/router.svg';
import switchIcon from '../../assets/icons/switch.svg';
import vmIcon from '../../assets/icons/vm.svg';
import volumeIcon from '../../assets/icons/volume.svg';
import Panel from './Panel';

/** The drag type the canvas accepts; the payload is the kind of thing to create. */
export const PALETTE_MIME = 'application/x-dcod-kind';

export const PALETTE_ITEMS = [
  { kind: 'vm', label: 'VM', hint: 'A virtual machine, placed on a host', icon: vmIcon },
  { kind: 'switch', label: 'Switch', hint: 'An L2 segment: one VxLAN VNI across hosts', icon: switchIcon },
  { kind: 'router', label: 'Router', hint: 'Routes between switches, optional NAT uplink', icon: routerIcon },
  { kind: 'volume', label: 'Volume', hint: 'A virtual disk to attach to a VM', icon: volumeIcon },
] as const;

/** What can be dragged onto the canvas. */
export default function PalettePanel() {
  return (
    <Panel title="Palette" testId="panel-palette">
      <ul className="palette">
        {PALETTE_ITEMS.map((item) => (
          <li
            key={item.kind}
            className="palette-item"
            draggable
            title={item.hint}
            data-testid={`palette-${item.kind}`}
            onDragStart={(e) => {
              e.dataTransfer.setData(PALETTE_MIME, item.kind);
              e.dataTransfer.effectAllowed = 'copy';
            }}
          >
            <img src={item.icon} alt="" className="icon" />
            <span>{item.label}</span>
          </li>
        ))}
      </ul>
    </Panel>
  );
}
