/** Builders of datacenter documents for tests: only what a test is about needs spelling out. */
import { API_VERSION, Datacenter, type DatacenterInput } from './document';

/** A document input named `dc` with the given parts (not parsed: validation tests feed it as read). */
export function docInput(parts: Omit<Partial<DatacenterInput>, 'metadata'> & { readonly name?: string } = {}): DatacenterInput {
  const { name = 'dc', ...rest } = parts;
  return { apiVersion: API_VERSION, kind: 'Datacenter', metadata: { name }, ...rest };
}

/** The same, parsed (defaults filled in); throws on a document the test did not mean to be invalid. */
export function doc(parts: Parameters<typeof docInput>[0] = {}): Datacenter {
  return Datacenter.parse(docInput(parts));
}
