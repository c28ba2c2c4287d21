/**
 * The one door from the editor to the core's document model and plan types.
 *
 * WARNING: the renderer may reach the core only through the service contract (eslint), and the contract
 * does not re-export the document model yet. Until it does (with the `doc.*` calls), this file is the
 * single, marked exception: the document schema is pure zod and bundles safely. When the contract
 * re-exports these, only the import below changes.
 */
// eslint-disable-next-line no-restricted-imports -- the contract does not re-export the document model yet
export { API_VERSION, Datacenter, emptyDatacenter, Name, VNI_MAX, VNI_MIN } from '../../src/model/document';
// eslint-disable-next-line no-restricted-imports -- as above
export type { DatacenterInput, Image, Nic, PowerState, Router, Switch, Vm, Volume } from '../../src/model/document';
// eslint-disable-next-line no-restricted-imports -- as above
export type { Diagnostic } from '../../src/diagnostics';
// eslint-disable-next-line no-restricted-imports -- as above: the core's own validation, pure, so live messages match `dcod validate`
export { validateDocument, type ValidationContext } from '../../src/model/validate';
