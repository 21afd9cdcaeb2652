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
