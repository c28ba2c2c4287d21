import { useApp } from '../store/app';
import Panel from './Panel';

const timeOf = (iso: string) => new Date(iso).toLocaleTimeString([], { hour12: false });

/** What the core did and what went wrong, newest last. */
export default function ActivityPanel() {
  const activity = useApp((s) => s.activity);
  return (
    <Panel title="Activity" testId="panel-activity">
      <ol className="activity" aria-live="polite">
        {activity.map((e) => (
          <li key={e.seq} className={`activity-${e.level}`}>
            <time>{timeOf(e.time)}</time>
            <span className="activity-source">{e.source}</span>
            <span>{e.message}</span>
          </li>
        ))}
      </ol>
    </Panel>
  );
}
