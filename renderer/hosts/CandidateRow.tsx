import { memo } from 'react';
import type { Candidate } from '../../src/api/contract';
import { probeFacts, probeStatus } from './status';
import StatusText from './StatusText';

export interface CandidateRowProps {
  readonly candidate: Candidate;
  /** Credentials are being tried on it right now. */
  readonly probing: boolean;
  readonly inInventory: boolean;
  readonly onAdd: (candidate: Candidate) => void;
}

/** One SSH server a sweep found, with what logging in told about it. */
function CandidateRow({ candidate, probing, inInventory, onAdd }: CandidateRowProps) {
  const { probe } = candidate;
  const facts = probe && probeFacts(probe);
  return (
    <tr data-testid={`candidate-${candidate.address}`} data-status={probe?.status ?? 'found'}>
      <td className="mono">
        {candidate.address}
        {candidate.port === 22 ? '' : `:${candidate.port}`}
      </td>
      <td>{candidate.os}</td>
      <td className="mono banner" title={candidate.banner}>
        {candidate.banner ?? '—'}
      </td>
      <td>
        <StatusText status={probeStatus(candidate, probing && !probe)} testId="candidate-status" />
        {facts && <div className="candidate-facts muted">{facts}</div>}
      </td>
      <td className="candidate-action">
        {probe?.status === 'virtualbox' &&
          (inInventory ? (
            <span className="muted">in inventory</span>
          ) : (
            <button type="button" onClick={() => onAdd(candidate)} data-testid="candidate-add" aria-label={`Add ${candidate.address} to inventory`}>
              Add to inventory
            </button>
          ))}
      </td>
    </tr>
  );
}

export default memo(CandidateRow);
