import hostIcon from '../../assets/icons/host.svg';
import Panel from './Panel';

/** VirtualBox hosts: discovered and added ones, with their status. */
export default function HostsPanel() {
  return (
    <Panel title="Hosts" testId="panel-hosts">
      <div className="empty-note">
        <img src={hostIcon} alt="" className="icon" />
        <p>No hosts yet.</p>
        <p className="muted">
          Add one with <code>dcod hosts add</code> or find them on your LAN with <code>dcod discover --cidr …</code>.
        </p>
      </div>
    </Panel>
  );
}
