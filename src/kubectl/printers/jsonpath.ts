/** kubectl's JSONPath dialect (k8s.io/client-go/util/jsonpath). */
export class JsonPathError extends Error {}

export interface JsonPathProgram {
  execute(data: unknown, options: { allowMissingKeys: boolean; json: boolean }): string;
}

export function compileJsonPath(_text: string): JsonPathProgram {
  throw new JsonPathError('jsonpath output is not implemented yet');
}
