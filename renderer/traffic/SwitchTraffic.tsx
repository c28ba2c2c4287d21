import { memo, useCallback, useMemo } from 'react';
import type { ApiClient, VniRates } from '../../src/api/contract';
import { formatPerSecond, formatRate } from './units';
import CaptureControls from './CaptureControls';
import Chart from './Chart';
import { chartColumns } from './series';
import { useTraffic } from './store';

/** One switch: its current figures, throughput and packet charts split by host, top talkers, capture. */
function SwitchTraffic({ client, rates }: { client: ApiClient; rates: VniRates }) {
  const series = useTraffic((s) => s.trafficSeries.get(rates.vni));
  const version = useTraffic((s) => s.trafficShownVersion);
  const windowS = useTraffic((s) => s.trafficWindowS);
  const unit = useTraffic((s) => s.trafficUnit);
  // The series arrays grow in place: `version` (frozen while paused) is what says they changed.
  // In bits the values are scaled before drawing, so the axis gets round numbers of bits.
  const scale = unit === 'bits' ? 8 : 1;
  const throughput = useMemo(() => chartColumns(series, ['bytesIn', 'bytesOut'], windowS, scale), [series, windowS, version, scale]);
  const packets = useMemo(() => chartColumns(series, ['packetsIn', 'packetsOut'], windowS, 1), [series, windowS, version]);
  const rate = useCallback((v: number) => formatRate(v / scale, unit), [unit, scale]);
  const pps = useCallback((v: number) => formatPerSecond(v), []);
  const trouble = rates.drops > 0 || rates.errors > 0;

  return (
    <section className={`traffic-switch${trouble ? ' traffic-trouble' : ''}`} data-testid={`traffic-vni-${rates.vni}`} aria-label={`switch ${rates.switch}`}>
      <header>
        <h4>
          {rates.switch} <span className="muted">VNI {rates.vni}</span>
        </h4>
        <span className="traffic-figure" data-testid={`traffic-vni-${rates.vni}-rate`}>
          {formatRate(rates.bytes, unit)}
        </span>
        {rates.packets !== undefined && <span className="muted">{formatPerSecond(rates.packets)}</span>}
        <span className={trouble ? 'traffic-bad' : 'muted'}>
          {formatPerSecond(rates.drops, 'drops')} · {formatPerSecond(rates.errors, 'errors')}
        </span>
      </header>
      <div className="traffic-charts">
        <Chart title="Throughput (in solid, out dashed)" data={throughput.data} labels={throughput.labels} format={rate} version={version} />
        {packets.data.slice(1).some((c) => c.some((v) => v !== null)) && <Chart title="Packets" data={packets.data} labels={packets.labels} format={pps} version={version} />}
      </div>
      <table className="traffic-talkers">
        <thead>
          <tr>
            <th>Top talkers</th>
            <th>Host</th>
            <th>Received</th>
            <th>Sent</th>
          </tr>
        </thead>
        <tbody>
          {rates.topTalkers.map((n) => (
            <tr key={`${n.vm}/${n.slot}`}>
              <td>
                {n.vm} <span className="muted">NIC {n.slot}</span>
              </td>
              <td>{n.host}</td>
              <td>{formatRate(n.rxBytes, unit)}</td>
              <td>{formatRate(n.txBytes, unit)}</td>
            </tr>
          ))}
          {rates.topTalkers.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                no VM NIC on this switch is sampled
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <CaptureControls client={client} vni={rates.vni} />
    </section>
  );
}

export default memo(SwitchTraffic);
