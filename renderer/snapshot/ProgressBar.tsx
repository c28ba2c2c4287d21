import type { BundleProgress } from '../../src/api/contract';
import { progressText } from './format';

export default function ProgressBar({ progress, onCancel }: { progress: BundleProgress | null; onCancel: () => void }) {
  if (!progress) return null;
  const { text, fraction } = progressText(progress);
  return (
    <div className="dc-progress" data-testid="bundle-progress">
      <progress max={1} value={fraction} />
      <span>{text}</span>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
