import { DcodError } from '../errors';
import { callParams, isCallName, type CallOrigin, type ServiceHandle } from './contract';

/**
 * The one place untrusted input from a transport becomes a typed call: unknown method names and
 * malformed parameters are refused here with BAD_REQUEST and a message saying exactly what is wrong.
 */
export async function dispatch(service: ServiceHandle, method: unknown, params: unknown, origin: CallOrigin): Promise<unknown> {
  if (!isCallName(method)) {
    throw new DcodError('BAD_REQUEST', `unknown call ${JSON.stringify(method)}: it is not in the service API (src/api/contract.ts)`);
  }
  const parsed = callParams[method].safeParse(params);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((i) => `${i.path.length ? i.path.join('.') : '(params)'}: ${i.message}`)
      .join('; ');
    throw new DcodError('BAD_REQUEST', `bad parameters for ${method}: ${issues}`);
  }
  // The schema table and the handle are keyed by the same names; TypeScript can't see through the union.
  return service.call(method, parsed.data as never, origin);
}
