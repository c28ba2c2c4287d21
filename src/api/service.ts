import { ActivityLog } from '../activity/log';
import type { CallName, CallOrigin, CallParams, CallResult, EventName, Events, ServiceHandle } from './contract';
import { version } from '../version';

export interface CoreOptions {
  readonly activity?: ActivityLog;
}

type Handlers = { [N in CallName]: (params: CallParams<N>, origin: CallOrigin) => Promise<CallResult<N>> | CallResult<N> };

/** The core behind every transport. Later capabilities (hosts, documents, plans…) add handlers here. */
export function createService(opts: CoreOptions = {}): ServiceHandle & { readonly activity: ActivityLog } {
  const activity = opts.activity ?? new ActivityLog();

  const handlers: Handlers = {
    'app.info': (_params, origin) => ({ name: 'DCoD', version, transport: origin.transport, platform: process.platform }),
    'activity.list': (params) => activity.list(params?.since ?? 0),
    'activity.add': (params) => activity.add(params.level, 'ui', params.message),
  };

  const subscribers: { [E in EventName]: (listener: (data: Events[E]) => void) => () => void } = {
    activity: (listener) => activity.subscribe(listener),
  };

  return {
    activity,
    async call(name, params, origin) {
      return handlers[name](params as never, origin) as never;
    },
    on(event, listener) {
      return subscribers[event](listener as never);
    },
  };
}
