/** Shape of the tables bin/generate-api.mjs derives from the upstream OpenAPI document. */
export interface GeneratedSubresource {
  name: string;
  kind: string;
  group: string;
  version: string;
  verbs: string[];
}

export interface GeneratedResource {
  group: string;
  version: string;
  kind: string;
  /** Plural resource name as in URLs. */
  name: string;
  namespaced: boolean;
  verbs: string[];
  subresources: GeneratedSubresource[];
  /** OpenAPI definition name of the object, e.g. "io.k8s.api.core.v1.Pod". */
  definition: string;
}

/** A property in a structural schema (OpenAPI v2, descriptions dropped). */
export interface FieldSchema {
  /** Referenced definition name, e.g. "io.k8s.api.core.v1.Container". */
  ref?: string;
  type?: string;
  format?: string;
  items?: FieldSchema;
  additionalProperties?: FieldSchema;
  patchStrategy?: string;
  patchMergeKey?: string;
  listType?: string;
  listMapKeys?: string[];
  mapType?: string;
}

export interface DefinitionSchema {
  type?: string;
  format?: string;
  required?: string[];
  mapType?: string;
  properties?: Record<string, FieldSchema>;
}
