export { printTable } from './table';
export type { TablePrintOptions } from './table';
export { tabwrite } from './tabwriter';
export { toJson, toYaml } from './serialize';
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
} from './output';
export type { OutputOptions, Printer, PrintOptions } from './output';
