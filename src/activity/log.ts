import type { ActivityEntry, ActivityLevel } from '../api/contract';

/**
 * The activity log: what the core did and what went wrong, in order. Kept in memory as a ring so a long
 * session can't grow without bound; listeners see every entry as it is added.
 */
export class ActivityLog {
  private readonly entries: ActivityEntry[] = [];
  private readonly listeners = new Set<(entry: ActivityEntry) => void>();
  private seq = 0;

  constructor(private readonly capacity = 5000, private readonly now: () => Date = () => new Date()) {}

  add(level: ActivityLevel, source: string, message: string): ActivityEntry {
    const entry: ActivityEntry = { seq: ++this.seq, time: this.now().toISOString(), level, source, message };
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    for (const listener of this.listeners) listener(entry);
    return entry;
  }

  /** Entries with `seq > since`, oldest first. */
  list(since = 0): readonly ActivityEntry[] {
    return this.entries.filter((e) => e.seq > since);
  }

  subscribe(listener: (entry: ActivityEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
