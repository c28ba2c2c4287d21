import type { ReactNode } from 'react';

/** The frame every side panel shares: a titled, scrollable section. */
export default function Panel({ title, testId, actions, children }: { title: string; testId: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="panel" data-testid={testId} aria-label={title}>
      <header className="panel-header">
        <h3>{title}</h3>
        {actions}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}
