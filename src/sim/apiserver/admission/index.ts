import { ADMISSION_PLUGINS } from './plugins';
import type { AdmissionAttributes } from './types';

export type { AdmissionAttributes, AdmissionPlugin, Operation } from './types';

/** Mutating admission: each plugin may change the object. */
export function admit(attrs: AdmissionAttributes): void {
  for (const p of ADMISSION_PLUGINS) p.admit?.(attrs);
}

/** Validating admission: each plugin may reject the request. */
export function validateAdmission(attrs: AdmissionAttributes): void {
  for (const p of ADMISSION_PLUGINS) p.validate?.(attrs);
}
