import { memo } from 'react';
import { parseEdgeId } from '../editor/ids';
import type { Datacenter } from '../editor/model';
import { useEditor } from '../store/editor';

/** One cable: which NIC, interface or disk it is, and a way to remove it. */
function EdgeInfo({ id, doc }: { id: string; doc: Datacenter }) {
  const ref = parseEdgeId(id);
  if (!ref) return null;
  let text: string;
  if (ref.kind === 'nic') {
    const nic = doc.vms.find((v) => v.name === ref.vm)?.nics[ref.index];
    text = `${ref.vm} nic${ref.index + 1} on ${nic && 'switch' in nic ? nic.switch : '?'}${nic && 'address' in nic && nic.address ? ` at ${nic.address}` : ' (DHCP)'}`;
  } else if (ref.kind === 'rif') {
    const itf = doc.routers.find((r) => r.name === ref.router)?.interfaces[ref.index];
    text = `${ref.router} interface ${ref.index + 1} on ${itf?.switch ?? '?'} at ${itf?.address || '(no address)'}`;
  } else text = `volume ${ref.volume} attached to ${ref.vm}`;
  return (
    <div className="inspector-form" data-testid="inspector-edge">
      <p>{text}</p>
      <button type="button" className="danger" onClick={() => useEditor.getState().run('delete', undefined)}>
        Remove
      </button>
    </div>
  );
}

export default memo(EdgeInfo);
