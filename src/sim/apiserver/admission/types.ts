import type { ResourceType } from '../registry';
import type { SeededRandom } from '../../random';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

/** What an admission plugin sees of a request and may read from the cluster. */
export interface AdmissionAttributes {
  operation: Operation;
  type: ResourceType;
  subresource?: string;
  namespace?: string;
  name: string;
  object: Obj;
  oldObject?: Obj;
  dryRun: boolean;
  /** Adds a warning to the response (kubectl prints "Warning: …"). */
  warn(message: string): void;
  random: SeededRandom;
  /** Reads an object from storage (no admission, no copy). */
  get(resource: string, group: string, namespace: string | undefined, name: string): Obj | undefined;
  list(resource: string, group: string, namespace: string | undefined): Obj[];
}

export interface AdmissionPlugin {
  name: string;
  /** Mutating phase: may change `attrs.object`. */
  admit?(attrs: AdmissionAttributes): void;
  /** Validating phase: throws an ApiError to reject. */
  validate?(attrs: AdmissionAttributes): void;
}

export type { Obj };
