/**
 * Server-side Table conversion (meta.k8s.io/v1 Table), with the columns a 1.32 API server
 * returns for each kind (pkg/printers/internalversion). Kinds without their own printer get
 * NAME and AGE, as the real server gives custom resources without printer columns.
 */
import type { KubeObject, TableColumnDefinition, TableRow } from '../types';
import { CLUSTER_PRINTERS } from './cluster';
import { CORE_PRINTERS } from './core';
import { age, ageCol, nameCol, type TablePrinter } from './helpers';
import { NODE_PRINTER } from './node';
import { WORKLOAD_PRINTERS } from './workloads';

const PRINTERS: Record<string, TablePrinter> = { ...CORE_PRINTERS, Node: NODE_PRINTER, ...WORKLOAD_PRINTERS, ...CLUSTER_PRINTERS };

const DEFAULT_PRINTER: TablePrinter = {
  columns: [nameCol, ageCol],
  cells: (o, now) => [o.metadata.name, age(o, now)],
};

function printerFor(kind: string): TablePrinter {
  return PRINTERS[kind] ?? DEFAULT_PRINTER;
}

export function hasTablePrinter(kind: string): boolean {
  return kind in PRINTERS;
}

/** A fresh copy: in-process clients get the server's Table itself, never shared parts. */
export function tableColumns(kind: string): TableColumnDefinition[] {
  return printerFor(kind).columns.map((c) => ({ ...c }));
}

export function tableRow(obj: KubeObject, now: number): TableRow {
  return {
    cells: printerFor(obj.kind).cells(obj, now),
    object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata },
  };
}
export { selectorString } from './helpers';
