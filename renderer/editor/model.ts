/**
 * The editor's names for the core's document model and validation, all through the service contract: the
 * schema is pure zod and the checks pure functions, so the live messages match `dcod validate`.
 */
export { API_VERSION, Datacenter, emptyDatacenter, Name, validateDocument, VNI_MAX, VNI_MIN, type ValidationContext } from '../../src/api/contract';
export type { DatacenterInput, Diagnostic, Image, Nic, PowerState, Router, Switch, Vm, Volume } from '../../src/api/contract';
