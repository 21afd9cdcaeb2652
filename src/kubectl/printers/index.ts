export { printTable } from './table';
export type { TablePrintOptions } from './table';
export { RememberingTabWriter, tabwrite } from './tabwriter';
export { asJsonData, toJson, toYaml } from './serialize';
export {
  asList,
  effectiveFormat,
  GET_FORMATS,
  makePrinter,
  nameOf,
  OUTPUT_FLAGS,
  outputFlag,
  outputFlags,
  outputOptions,
  PRINT_FORMATS,
  printObjects,
  unknownFormatError,
  withoutManagedFields,
  writePrinted,
} from './output';
export type { OutputOptions, Printer, PrintOptions } from './output';
export { compileJsonPath, goValue, JsonPathError, relaxedJsonPath } from './jsonpath';
export type { JsonPathProgram } from './jsonpath';
export { customColumnRows, parseCustomColumns, printCustomColumns } from './customcolumns';
export type { CustomColumn } from './customcolumns';
export { compileGoTemplate, TemplateExecError } from './gotemplate';
